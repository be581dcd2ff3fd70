package dev.triage.provider;

import dev.triage.catalog.Price;
import dev.triage.chat.ChatRequest;
import java.time.Duration;

/**
 * One call to one upstream model.
 *
 * @param request           the canonical request (its {@code model} is Triage's id, not the upstream's)
 * @param upstreamModel     the model id the provider's API expects
 * @param deadline          when the call must be finished (the request's overall deadline)
 * @param streamIdleTimeout for streams: the longest silence tolerated between two upstream events
 * @param price             the model's price, for providers that weigh what a cache costs against what it saves;
 *                          null when unknown (such providers then buy nothing)
 * @param cacheStorage      told of every explicit cache the call buys, so its cost is booked
 */
public record ProviderCall(ChatRequest request, String upstreamModel, Deadline deadline, Duration streamIdleTimeout,
                           Price price, CacheStorage.Listener cacheStorage) {

    public ProviderCall {
        cacheStorage = cacheStorage == null ? CacheStorage.Listener.NONE : cacheStorage;
    }

    /** A call without a known price: nothing is bought beyond the answer. */
    public ProviderCall(ChatRequest request, String upstreamModel, Deadline deadline, Duration streamIdleTimeout) {
        this(request, upstreamModel, deadline, streamIdleTimeout, null, CacheStorage.Listener.NONE);
    }
}
