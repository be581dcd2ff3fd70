package dev.triage.keys;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-minute allowances (a virtual key's {@code rpm} and {@code tpm}) over a sliding minute: what was
 * used in the current clock minute plus the previous minute's use weighted by how much of it still lies
 * within the last 60 seconds. In memory by default ({@link InMemoryRateLimiter}); in Redis, shared by
 * every instance, with {@code storage.redis}.
 *
 * @see SlidingMinute the arithmetic both implementations share
 */
public interface RateLimiter extends AutoCloseable {

    /**
     * Takes {@code cost} units of {@code key}'s {@code limit} per minute if they fit; otherwise takes nothing
     * and says how long until they would (with no other use meanwhile).
     *
     * @throws dev.triage.budget.BudgetStoreUnavailableException when a shared limiter cannot be asked
     */
    Optional<Duration> tryTake(String key, long cost, long limit);

    /** Whether {@code key} has used less than {@code limit} in the sliding minute; if not, how long until it has. */
    Optional<Duration> check(String key, long limit);

    /** Counts {@code amount} units used after the fact (an answer's tokens); may pass the limit. */
    void add(String key, long amount);

    @Override
    default void close() {
    }
}
