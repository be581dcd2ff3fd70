package dev.triage.caching;

import dev.triage.chat.ChatRequest;
import dev.triage.chat.PromptCache;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The gateway's prompt-cache setting ({@code prompt_cache} in the config) and how one request's choice
 * follows from it: on by default; off for the routes and models in {@code offFor}; a request's
 * {@code x-triage-prompt-cache} header turns it {@code off}, or {@code on}, or picks the lifetime
 * ({@code 5m}, {@code 1h}).
 *
 * @param enabled whether caching is on for requests that say nothing
 * @param ttl     the lifetime of Anthropic cache entries Triage writes
 * @param offFor  routes and models (as named in {@code model}) for which it is off unless a request turns it on
 * @param cacheAwareRouting whether routing keeps a conversation on the model that holds its warm cache while
 *                          that is cheaper than the policy's move ({@code dev.triage.routing.CacheAwareness})
 */
public record PromptCachePolicy(boolean enabled, PromptCache.Ttl ttl, Set<String> offFor, boolean cacheAwareRouting) {

    public static final PromptCachePolicy DEFAULT = new PromptCachePolicy(true, PromptCache.Ttl.FIVE_MINUTES, Set.of(), true);

    /** What {@code x-triage-prompt-cache} may say. */
    public static final String HEADER_VALUES = "on, off, 5m or 1h";

    public PromptCachePolicy {
        Objects.requireNonNull(ttl, "ttl");
        offFor = Set.copyOf(offFor);
    }

    /**
     * The choice for {@code request}.
     *
     * @param header        the request's {@code x-triage-prompt-cache}, or null
     * @param sessionHeader the request's {@code x-triage-session}, or null
     * @throws IllegalArgumentException for a header value other than {@value #HEADER_VALUES}
     */
    public PromptCache choose(ChatRequest request, String header, String sessionHeader) {
        boolean on = enabled && !offFor.contains(request.model());
        PromptCache.Ttl lifetime = ttl;
        if (header != null) {
            switch (header.strip().toLowerCase(Locale.ROOT)) {
                case "off" -> on = false;
                case "on" -> on = true;
                case "5m" -> {
                    on = true;
                    lifetime = PromptCache.Ttl.FIVE_MINUTES;
                }
                case "1h" -> {
                    on = true;
                    lifetime = PromptCache.Ttl.ONE_HOUR;
                }
                default -> throw new IllegalArgumentException("x-triage-prompt-cache must be " + HEADER_VALUES + ", got '"
                        + (header.strip().length() > 40 ? header.strip().substring(0, 40) + "…" : header.strip()) + "'");
            }
        }
        // the session is known either way: shared context and reports use it when caching is off
        return new PromptCache(on, SessionId.of(request, sessionHeader), lifetime);
    }
}
