package dev.triage.app;

import dev.triage.budget.BudgetAlerts;
import dev.triage.budget.BudgetStore;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.budget.redis.InstanceHeartbeat;
import dev.triage.budget.redis.OutageTolerantBudgetStore;
import dev.triage.budget.redis.OutageTolerantRateLimiter;
import dev.triage.budget.redis.RedisBudgetStore;
import dev.triage.budget.redis.RedisContextStore;
import dev.triage.budget.redis.RedisLink;
import dev.triage.budget.redis.RedisOnce;
import dev.triage.budget.redis.RedisRateLimiter;
import dev.triage.budget.redis.RedisSessionStore;
import dev.triage.caching.InMemorySessionStore;
import dev.triage.caching.SessionStore;
import dev.triage.config.TriageConfig;
import dev.triage.context.ContextStore;
import dev.triage.keys.InMemoryRateLimiter;
import dev.triage.keys.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What instances share when {@code storage.redis} is set, and hold in memory when not: budgets,
 * per-minute allowances and which budget alerts were sent, on one Redis connection. With
 * {@code storage.redis_outage: allow_local}, budgets and limits fall back to local allowances while Redis
 * cannot be reached, kept in step by a heartbeat that counts the instances.
 *
 * @param redis     null without {@code storage.redis}
 * @param heartbeat null unless {@code storage.redis_outage: allow_local}
 */
record SharedState(BudgetStore budgets, RateLimiter limits, BudgetAlerts.Once once, SessionStore sessions, ContextStore contexts,
                   RedisLink redis,
                   InstanceHeartbeat heartbeat)
        implements AutoCloseable {

    /** What every budget key in Redis starts with. */
    static final String BUDGET_KEY_PREFIX = "triage:budget:";
    /** What every alert claim in Redis starts with ({@code triage:alert:BUDGET:PERIOD:PCT}). */
    static final String ALERT_KEY_PREFIX = "triage:";
    /** What every rate-limit key in Redis starts with. */
    static final String RATE_KEY_PREFIX = "triage:rate:";
    /** What every conversation's cache state in Redis starts with. */
    static final String SESSION_KEY_PREFIX = "triage:session:";
    /** What every session's shared context in Redis starts with. */
    static final String CONTEXT_KEY_PREFIX = "triage:context:";
    /** The sorted set every instance with {@code allow_local} beats into, to count N. */
    static final String INSTANCES_KEY = "triage:instances";

    /**
     * Redis when {@code storage.redis} is set, else this process's memory. An unsettled Redis reservation is
     * held for twice the request deadline plus a minute: longer than any request the gateway lets run.
     */
    static SharedState of(TriageConfig config, Clock clock) {
        String uri = config.storage().redis();
        if (uri == null) {
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            return new SharedState(new InMemoryBudgetStore(), new InMemoryRateLimiter(clock), (id, keep) -> claimed.add(id),
                    new InMemorySessionStore(InMemorySessionStore.DEFAULT_CAPACITY),
                    ContextStore.inMemory(InMemorySessionStore.DEFAULT_CAPACITY), null, null);
        }
        RedisLink redis = new RedisLink(uri, config.storage().redisTimeout());
        Duration lease = config.server().requestTimeout().multipliedBy(2).plusMinutes(1);
        RedisBudgetStore budgets = new RedisBudgetStore(redis, BUDGET_KEY_PREFIX, lease);
        RedisRateLimiter limits = new RedisRateLimiter(redis, RATE_KEY_PREFIX);
        RedisOnce once = new RedisOnce(redis, ALERT_KEY_PREFIX);
        SessionStore sessions = new RedisSessionStore(redis, SESSION_KEY_PREFIX);
        ContextStore contexts = new RedisContextStore(redis, CONTEXT_KEY_PREFIX);
        return switch (config.storage().redisOutage()) {
            case FAIL_CLOSED -> new SharedState(budgets, limits, once, sessions, contexts, redis, null);
            case ALLOW_LOCAL -> {
                InstanceHeartbeat heartbeat = new InstanceHeartbeat(redis, INSTANCES_KEY, InstanceHeartbeat.DEFAULT_EVERY,
                        InstanceHeartbeat.DEFAULT_LIVE);
                SharedState shared = new SharedState(OutageTolerantBudgetStore.over(budgets, heartbeat, clock),
                        OutageTolerantRateLimiter.over(limits, heartbeat, clock), once, sessions, contexts, redis, heartbeat);
                heartbeat.start();
                yield shared;
            }
        };
    }

    @Override
    public void close() {
        try {
            if (heartbeat != null) {
                heartbeat.close();
            }
            budgets.close();
            limits.close();
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
