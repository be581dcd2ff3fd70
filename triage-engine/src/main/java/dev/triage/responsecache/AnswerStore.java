package dev.triage.responsecache;

import java.time.Duration;
import java.util.Optional;

/**
 * Where cached answers live, by the key {@link ResponseCache} computes (a digest: it holds no request
 * text and no secret). In this process by default ({@link InMemoryAnswerStore}); in Redis when
 * {@code storage.redis} is set, so every instance serves what any of them stored.
 *
 * <p>Implementations never throw for an unreachable or damaged store: a lookup that cannot be made is
 * a miss, a store that cannot be made is skipped. The cache saves money; it must never cost a request.
 */
public interface AnswerStore extends AutoCloseable {

    /** The answer stored under {@code key} and not expired, if any. */
    Optional<CachedAnswer> get(String key);

    /**
     * Stores {@code answer} under {@code key} for {@code ttl}, replacing what was there.
     *
     * @param bytes the answer's size ({@link CachedAnswer#jsonBytes()}), for a store bounded in bytes
     */
    void put(String key, CachedAnswer answer, long bytes, Duration ttl);

    @Override
    default void close() {
    }
}
