package dev.triage.budget.redis;

import dev.triage.keys.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-minute allowances shared by every instance on one Redis: each take, check or add is one Lua script
 * ({@code rate.lua}) over the current and previous minute's counters, which expire after two minutes.
 * Redis's clock decides the minute, so instances' clocks need not agree.
 */
public final class RedisRateLimiter implements RateLimiter {

    private final RedisLink redis;
    private final String prefix;
    private final RedisLink.Script script = RedisLink.Script.load("rate.lua");

    /** @param prefix what every key starts with, e.g. {@code triage:rate:} */
    public RedisRateLimiter(RedisLink redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public Optional<Duration> tryTake(String key, long cost, long limit) {
        return waitOf(run(key, "take", cost, limit));
    }

    @Override
    public Optional<Duration> check(String key, long limit) {
        return waitOf(run(key, "check", 0, limit));
    }

    @Override
    public void add(String key, long amount) {
        run(key, "add", amount, 0);
    }

    private long run(String key, String mode, long units, long limit) {
        List<Object> reply = redis.run(script, new String[] {prefix + "{" + key + "}"}, mode, Long.toString(units), Long.toString(limit));
        return (Long) reply.getFirst();
    }

    private static Optional<Duration> waitOf(long seconds) {
        return seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }
}
