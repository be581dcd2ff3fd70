package dev.triage.app;

import dev.triage.budget.BudgetAlerts;
import dev.triage.budget.BudgetStore;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.budget.redis.RedisBudgetStore;
import dev.triage.budget.redis.RedisLink;
import dev.triage.budget.redis.RedisOnce;
import dev.triage.budget.redis.RedisSessionStore;
import dev.triage.caching.InMemorySessionStore;
import dev.triage.caching.SessionStore;
import dev.triage.budget.redis.RedisRateLimiter;
import dev.triage.config.TriageConfig;
import dev.triage.keys.InMemoryRateLimiter;
import dev.triage.keys.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What instances share when {@code storage.redis} is set, and hold in memory when not: budgets,
 * per-minute allowances and which budget alerts were sent, on one Redis connection.
 *
 * @param redis null without {@code storage.redis}
 */
record SharedState(BudgetStore budgets, RateLimiter limits, BudgetAlerts.Once once, SessionStore sessions, RedisLink redis)
        implements AutoCloseable {

    /** What every budget key in Redis starts with. */
    static final String BUDGET_KEY_PREFIX = "triage:budget:";
    /** What every alert claim in Redis starts with ({@code triage:alert:BUDGET:PERIOD:PCT}). */
    static final String ALERT_KEY_PREFIX = "triage:";
    /** What every rate-limit key in Redis starts with. */
    static final String RATE_KEY_PREFIX = "triage:rate:";
    /** What every conversation's cache state in Redis starts with. */
    static final String SESSION_KEY_PREFIX = "triage:session:";

    /**
     * Redis when {@code storage.redis} is set, else this process's memory. An unsettled Redis reservation is
     * held for twice the request deadline plus a minute: longer than any request the gateway lets run.
     */
    static SharedState of(TriageConfig config, Clock clock) {
        String uri = config.storage().redis();
        if (uri == null) {
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            return new SharedState(new InMemoryBudgetStore(), new InMemoryRateLimiter(clock), (id, keep) -> claimed.add(id),
                    new InMemorySessionStore(InMemorySessionStore.DEFAULT_CAPACITY), null);
        }
        RedisLink redis = new RedisLink(uri, config.storage().redisTimeout());
        Duration lease = config.server().requestTimeout().multipliedBy(2).plusMinutes(1);
        return new SharedState(new RedisBudgetStore(redis, BUDGET_KEY_PREFIX, lease), new RedisRateLimiter(redis, RATE_KEY_PREFIX),
                new RedisOnce(redis, ALERT_KEY_PREFIX), new RedisSessionStore(redis, SESSION_KEY_PREFIX), redis);
    }

    @Override
    public void close() {
        try {
            budgets.close();
            limits.close();
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
