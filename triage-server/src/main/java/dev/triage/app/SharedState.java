package dev.triage.app;

import dev.triage.budget.BudgetAlerts;
import dev.triage.budget.BudgetStore;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.budget.redis.InstanceHeartbeat;
import dev.triage.budget.redis.OutageTolerantBudgetStore;
import dev.triage.budget.redis.OutageTolerantRateLimiter;
import dev.triage.budget.redis.RedisBudgetStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.budget.redis.RedisAnswerStore;
import dev.triage.budget.redis.RedisContextStore;
import dev.triage.budget.redis.RedisLink;
import dev.triage.budget.redis.RedisOnce;
import dev.triage.budget.redis.RedisRateLimiter;
import dev.triage.budget.redis.RedisSemanticCache;
import dev.triage.budget.redis.RedisSessionStore;
import dev.triage.caching.InMemorySessionStore;
import dev.triage.caching.SessionStore;
import dev.triage.config.TriageConfig;
import dev.triage.context.ContextStore;
import dev.triage.keys.InMemoryRateLimiter;
import dev.triage.keys.RateLimiter;
import dev.triage.responsecache.AnswerStore;
import dev.triage.responsecache.InMemoryAnswerStore;
import dev.triage.responsecache.InMemorySemanticCache;
import dev.triage.responsecache.ResponseCacheSettings;
import dev.triage.responsecache.SemanticCache;
import dev.triage.responsecache.SemanticMatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What instances share when {@code storage.redis} is set, and hold in memory when not: budgets,
 * per-minute allowances and which budget alerts were sent, on one Redis connection. With
 * {@code storage.redis_outage: allow_local}, budgets and limits fall back to local allowances while Redis
 * cannot be reached, kept in step by a heartbeat that counts the instances.
 *
 * @param answers   the response cache's answers
 * @param questions the response cache's questions by meaning, compared by the matcher given
 * @param redis     null without {@code storage.redis}
 * @param heartbeat null unless {@code storage.redis_outage: allow_local}
 */
record SharedState(BudgetStore budgets, RateLimiter limits, BudgetAlerts.Once once, SessionStore sessions, ContextStore contexts,
                   AnswerStore answers, Function<SemanticMatcher, SemanticCache> questions, RedisLink redis,
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
    /** What every response-cache key in Redis starts with. */
    static final String RESPONSE_CACHE_KEY_PREFIX = "triage:rc:";
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
            ResponseCacheSettings cache = config.responseCache().defaults();
            return new SharedState(new InMemoryBudgetStore(), new InMemoryRateLimiter(clock), (id, keep) -> claimed.add(id),
                    new InMemorySessionStore(InMemorySessionStore.DEFAULT_CAPACITY),
                    ContextStore.inMemory(InMemorySessionStore.DEFAULT_CAPACITY),
                    new InMemoryAnswerStore(cache.exact().maxEntries(), cache.exact().maxMemoryBytes(), clock),
                    matcher -> new InMemorySemanticCache(matcher, cache.semantic().maxEntries(), clock), null, null);
        }
        RedisLink redis = new RedisLink(uri, config.storage().redisTimeout());
        Duration lease = config.server().requestTimeout().multipliedBy(2).plusMinutes(1);
        RedisBudgetStore budgets = new RedisBudgetStore(redis, BUDGET_KEY_PREFIX, lease);
        RedisRateLimiter limits = new RedisRateLimiter(redis, RATE_KEY_PREFIX);
        RedisOnce once = new RedisOnce(redis, ALERT_KEY_PREFIX);
        SessionStore sessions = new RedisSessionStore(redis, SESSION_KEY_PREFIX);
        ContextStore contexts = new RedisContextStore(redis, CONTEXT_KEY_PREFIX);
        AnswerStore answers = new RedisAnswerStore(redis, RESPONSE_CACHE_KEY_PREFIX, config.responseCache().defaults().exact().maxEntries(),
                new ObjectMapper(), clock);
        Function<SemanticMatcher, SemanticCache> questions = matcher -> new RedisSemanticCache(redis, RESPONSE_CACHE_KEY_PREFIX, matcher, clock);
        return switch (config.storage().redisOutage()) {
            case FAIL_CLOSED -> new SharedState(budgets, limits, once, sessions, contexts, answers, questions, redis, null);
            case ALLOW_LOCAL -> {
                InstanceHeartbeat heartbeat = new InstanceHeartbeat(redis, INSTANCES_KEY, InstanceHeartbeat.DEFAULT_EVERY,
                        InstanceHeartbeat.DEFAULT_LIVE);
                SharedState shared = new SharedState(OutageTolerantBudgetStore.over(budgets, heartbeat, clock),
                        OutageTolerantRateLimiter.over(limits, heartbeat, clock), once, sessions, contexts, answers, questions, redis,
                        heartbeat);
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
