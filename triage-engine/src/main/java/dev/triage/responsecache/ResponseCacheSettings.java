package dev.triage.responsecache;

import java.time.Duration;
import java.util.Objects;

/**
 * The response cache of one route (or of requests naming a model): config {@code cache:} at the top
 * level, overridable per route.
 *
 * @param exact          identical requests
 * @param semantic       a last question that means the same, with identical history and parameters
 * @param sampledChoices whether a request for several sampled choices ({@code n > 1} at a temperature above 0) is
 *                       cached: its answers are different by design, so by default it is not
 */
public record ResponseCacheSettings(Exact exact, Semantic semantic, boolean sampledChoices) {

    /** Answers kept by default (each store): at a few kB each, tens of MB. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** How long an answer is served by default. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The largest answer kept by default, as JSON: about 64 times the usual answer of a few kB. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 256 * 1024;
    /** What the answers kept in this process may take together by default (a shared Redis store is bounded by Redis). */
    public static final long DEFAULT_MAX_MEMORY_BYTES = 64L * 1024 * 1024;

    /** Nothing cached: the default, since a cached answer replaces a fresh one. */
    public static final ResponseCacheSettings OFF = new ResponseCacheSettings(
            new Exact(false, DEFAULT_TTL, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_MEMORY_BYTES), new Semantic(false, null, DEFAULT_TTL, DEFAULT_MAX_ENTRIES), false);

    public ResponseCacheSettings {
        Objects.requireNonNull(exact, "exact");
        Objects.requireNonNull(semantic, "semantic");
    }

    /** True when either cache may answer. */
    public boolean enabled() {
        return exact.enabled || semantic.enabled;
    }

    /**
     * @param enabled    whether identical requests are answered from the cache
     * @param ttl        how long an answer is served
     * @param maxEntries     how many answers the store holds (top level only: one store serves every route)
     * @param maxAnswerBytes the largest answer kept, as its JSON (top level only): a larger one is served to its client
     *                       and not kept, so one client's long answers cannot fill the store
     * @param maxMemoryBytes what the answers kept in this process may take together, as their JSON (top level only);
     *                       the least recently used go first when it is reached
     */
    public record Exact(boolean enabled, Duration ttl, int maxEntries, long maxAnswerBytes, long maxMemoryBytes) {
        public Exact {
            if (ttl.isNegative() || ttl.isZero() || maxEntries < 1 || maxAnswerBytes < 1 || maxMemoryBytes < maxAnswerBytes) {
                throw new IllegalArgumentException("ttl, max_entries and max_answer_bytes must be positive, and max_memory_bytes"
                        + " at least max_answer_bytes");
            }
        }

        public Exact(boolean enabled, Duration ttl, int maxEntries) {
            this(enabled, ttl, maxEntries, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_MEMORY_BYTES);
        }
    }

    /**
     * @param enabled    whether a question close in meaning is answered from the cache
     * @param threshold  the similarity a match needs, or null for the matcher's calibrated default
     * @param ttl        how long an answer is served this way
     * @param maxEntries how many questions the semantic index holds (top level only)
     */
    public record Semantic(boolean enabled, Double threshold, Duration ttl, int maxEntries) {
        public Semantic {
            if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
                throw new IllegalArgumentException("ttl and max_entries must be positive");
            }
        }
    }
}
