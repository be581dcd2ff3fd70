package dev.triage.provider;

import dev.triage.chat.ChatRequest;
import java.time.Duration;

/**
 * One call to one upstream model.
 *
 * @param request           the canonical request (its {@code model} is Triage's id, not the upstream's)
 * @param upstreamModel     the model id the provider's API expects
 * @param deadline          when the call must be finished (the request's overall deadline)
 * @param streamIdleTimeout for streams: the longest silence tolerated between two upstream events
 */
public record ProviderCall(ChatRequest request, String upstreamModel, Deadline deadline, Duration streamIdleTimeout) {
}
