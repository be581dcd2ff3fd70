package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.keys.InMemoryRateLimiter;
import dev.triage.keys.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.redis_outage: allow_local} for per-minute limits: in Redis while it answers; while it does not,
 * each instance keeps its own sliding minute ({@link InMemoryRateLimiter}) with {@code ceil(limit / N)} of
 * each limit, N being the instances the {@link InstanceHeartbeat} last counted. An instance that never counted
 * refuses, as with {@code fail_closed}. On the first beat Redis answers again, what each key used locally in
 * the sliding minute is added to Redis's current minute (so the minute after an outage is not a fresh one),
 * and limits are shared again.
 */
public final class OutageTolerantRateLimiter implements RateLimiter, InstanceHeartbeat.Participant {

    private static final Logger LOG = LoggerFactory.getLogger(OutageTolerantRateLimiter.class);

    private final RedisRateLimiter redis;
    private final InstanceHeartbeat heartbeat;
    private final Clock clock;
    private final AtomicLong localTakes = new AtomicLong();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Null while limits are in Redis; written under the write lock. */
    private volatile Outage outage;

    private OutageTolerantRateLimiter(RedisRateLimiter redis, InstanceHeartbeat heartbeat, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code redis}, falling back to local limits while it cannot be reached; kept in step by {@code heartbeat}. */
    public static OutageTolerantRateLimiter over(RedisRateLimiter redis, InstanceHeartbeat heartbeat, Clock clock) {
        OutageTolerantRateLimiter limiter = new OutageTolerantRateLimiter(redis, heartbeat, clock);
        heartbeat.join(limiter);
        return limiter;
    }

    @Override
    public Optional<Duration> tryTake(String key, long cost, long limit) {
        while (true) {
            if (outage == null) {
                try {
                    return redis.tryTake(key, cost, limit);
                } catch (BudgetStoreUnavailableException e) {
                    lost(e);
                }
            }
            lock.readLock().lock();
            try {
                Outage o = outage;
                if (o != null) {
                    Optional<Duration> wait = o.limits.tryTake(key, cost, o.share(limit));
                    if (wait.isEmpty()) {
                        localTakes.incrementAndGet();
                    }
                    return wait;
                }
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    @Override
    public Optional<Duration> check(String key, long limit) {
        while (true) {
            if (outage == null) {
                try {
                    return redis.check(key, limit);
                } catch (BudgetStoreUnavailableException e) {
                    lost(e);
                }
            }
            lock.readLock().lock();
            try {
                Outage o = outage;
                if (o != null) {
                    return o.limits.check(key, o.share(limit));
                }
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    @Override
    public void add(String key, long amount) {
        while (true) {
            if (outage == null) {
                try {
                    redis.add(key, amount);
                    return;
                } catch (BudgetStoreUnavailableException e) {
                    lost(e);
                }
            }
            lock.readLock().lock();
            try {
                Outage o = outage;
                if (o != null) {
                    o.limits.add(key, amount);
                    return;
                }
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    /** Requests (and token checks' takes) granted by local limits, since start. */
    public long localTakes() {
        return localTakes.get();
    }

    /** Whether limits are kept locally now. */
    public boolean local() {
        return outage != null;
    }

    @Override
    public void resync() {
        if (outage == null) {
            return;
        }
        lock.writeLock().lock();
        try {
            Outage o = outage;
            if (o == null) {
                return;
            }
            // a key whose add fails here is added again at the next beat: counted twice, for a minute at most
            Map<String, Long> used = o.limits.used();
            used.forEach(redis::add);
            outage = null;
            LOG.info("Redis answers again: rate limits are shared again");
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void lost() {
        goLocal();
    }

    private void lost(BudgetStoreUnavailableException e) {
        if (!goLocal()) {
            throw e;
        }
    }

    private boolean goLocal() {
        int n = heartbeat.instances();
        if (n == 0) {
            return false;
        }
        lock.writeLock().lock();
        try {
            if (outage == null) {
                outage = new Outage(n, new InMemoryRateLimiter(clock));
                LOG.warn("Redis cannot be reached: rate limits are kept locally, this instance's 1/{} of each, until Redis"
                        + " answers again", n);
            }
        } finally {
            lock.writeLock().unlock();
        }
        return true;
    }

    /** One outage: N as counted before it, and this instance's own sliding minutes. */
    private record Outage(int instances, InMemoryRateLimiter limits) {

        /** ceil(limit / N): never below one, so a key with a small limit is not shut out everywhere. */
        long share(long limit) {
            return Math.ceilDiv(limit, instances);
        }
    }
}
