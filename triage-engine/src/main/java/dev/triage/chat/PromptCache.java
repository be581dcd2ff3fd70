package dev.triage.chat;

import java.util.Objects;

/**
 * What the gateway asks of providers' prompt caches for one request.
 *
 * @param enabled  whether Triage marks cache breakpoints (Anthropic) and sends a cache key (OpenAI); what the
 *                 client marked itself is kept either way
 * @param session  the conversation the request belongs to ({@link dev.triage.caching.SessionId}), or null when unknown
 * @param ttl      the lifetime asked for Anthropic cache entries
 */
public record PromptCache(boolean enabled, String session, Ttl ttl) {

    /** Anthropic's two lifetimes: 5 minutes (write 1.25x the input price) or one hour (write 2x). */
    public enum Ttl {
        FIVE_MINUTES("5m"), ONE_HOUR("1h");

        private final String wire;

        Ttl(String wire) {
            this.wire = wire;
        }

        /** As Anthropic's {@code cache_control.ttl} and Triage's config write it. */
        public String wire() {
            return wire;
        }

        public static Ttl parse(String text) {
            for (Ttl t : values()) {
                if (t.wire.equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("expected 5m or 1h, got '" + text + "'");
        }
    }

    /** On, five-minute entries, no session: what a request gets unless configured otherwise. */
    public static final PromptCache DEFAULT = new PromptCache(true, null, Ttl.FIVE_MINUTES);

    /** Off: nothing added, nothing changed (what the client marked itself still goes through). */
    public static final PromptCache OFF = new PromptCache(false, null, Ttl.FIVE_MINUTES);

    public PromptCache {
        Objects.requireNonNull(ttl, "ttl");
    }

    public PromptCache withSession(String id) {
        return new PromptCache(enabled, id, ttl);
    }
}
