package dev.triage.provider;

import java.time.Duration;

/**
 * An explicit provider cache bought during a call (Gemini's {@code cachedContents}), which the answer's usage does
 * not show: the gateway books it as an estimated cost of its own. Created caches are written once (their tokens
 * processed as input); created and extended ones are stored for {@code held}.
 *
 * @param writtenTokens the tokens written into a new cache, 0 when an existing one was only kept longer
 * @param storedTokens  the tokens the cache holds
 * @param held          the storage time bought by this call
 */
public record CacheStorage(long writtenTokens, long storedTokens, Duration held) {

    public CacheStorage {
        if (writtenTokens < 0 || storedTokens < 0 || held.isNegative()) {
            throw new IllegalArgumentException("cache storage cannot be negative");
        }
    }

    /** Told of each cache a call buys, as the call buys it (on the call's thread). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = storage -> {
        };

        void onCacheStorage(CacheStorage storage);
    }
}
