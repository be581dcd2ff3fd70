package dev.triage.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Per-minute allowances of one gateway instance, in memory; keys come from virtual keys, so they are few. */
public final class InMemoryRateLimiter implements RateLimiter {

    private final Clock clock;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public InMemoryRateLimiter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Duration> tryTake(String key, long cost, long limit) {
        long now = clock.millis();
        Counter c = counters.computeIfAbsent(key, k -> new Counter());
        synchronized (c) {
            c.roll(now);
            if (SlidingMinute.estimate(now, c.previous, c.current) + cost > limit) {
                return Optional.of(SlidingMinute.waitFor(now, c.previous, c.current, cost, limit, false));
            }
            c.current += cost;
            return Optional.empty();
        }
    }

    @Override
    public Optional<Duration> check(String key, long limit) {
        long now = clock.millis();
        Counter c = counters.computeIfAbsent(key, k -> new Counter());
        synchronized (c) {
            c.roll(now);
            if (SlidingMinute.estimate(now, c.previous, c.current) >= limit) {
                return Optional.of(SlidingMinute.waitFor(now, c.previous, c.current, 0, limit, true));
            }
            return Optional.empty();
        }
    }

    @Override
    public void add(String key, long amount) {
        long now = clock.millis();
        Counter c = counters.computeIfAbsent(key, k -> new Counter());
        synchronized (c) {
            c.roll(now);
            c.current += amount;
        }
    }

    /**
     * Each key's use in the sliding minute now, rounded up (a key with none is left out): what this instance
     * took while a shared limiter was away, for it to count once it is back.
     */
    public Map<String, Long> used() {
        long now = clock.millis();
        Map<String, Long> out = new HashMap<>();
        counters.forEach((key, c) -> {
            synchronized (c) {
                c.roll(now);
                long used = (long) Math.ceil(SlidingMinute.estimate(now, c.previous, c.current));
                if (used > 0) {
                    out.put(key, used);
                }
            }
        });
        return out;
    }

    /** The use of one key in the current minute and the one before. */
    private static final class Counter {
        long window = Long.MIN_VALUE;
        long previous;
        long current;

        void roll(long nowMs) {
            long w = SlidingMinute.window(nowMs);
            if (w == window) {
                return;
            }
            previous = w == window + 1 ? current : 0;
            current = 0;
            window = w;
        }
    }
}
