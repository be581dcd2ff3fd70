package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.caching.SessionState;
import dev.triage.caching.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Conversations' warm caches shared by every instance on one Redis: a hash per session id
 * ({@code model}, {@code warmed_at} in epoch ms, {@code prefix_tokens}) that expires an hour after its
 * last turn, the longest a provider cache entry lives. Redis being away makes it forget, never refuse:
 * routing is then simply not cache-aware.
 */
public final class RedisSessionStore implements SessionStore {

    static final Duration KEEP = Duration.ofHours(1);

    private final RedisLink redis;
    private final String prefix;

    /** @param prefix what every session key starts with, e.g. {@code triage:session:} */
    public RedisSessionStore(RedisLink redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public Optional<SessionState> get(String session) {
        Map<String, String> h;
        try {
            h = redis.call(r -> r.hgetall(prefix + session));
        } catch (BudgetStoreUnavailableException e) {
            return Optional.empty();
        }
        if (h == null || !h.containsKey("model")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SessionState(h.get("model"), Instant.ofEpochMilli(Long.parseLong(h.get("warmed_at"))),
                    Long.parseLong(h.get("prefix_tokens"))));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String session, SessionState state) {
        try {
            redis.call(r -> {
                String key = prefix + session;
                r.hset(key, Map.of("model", state.model(), "warmed_at", Long.toString(state.warmedAt().toEpochMilli()),
                        "prefix_tokens", Long.toString(state.prefixTokens())));
                return r.expire(key, KEEP.toSeconds());
            });
        } catch (BudgetStoreUnavailableException e) {
            // forgotten: the next turn is routed as if the conversation were new
        }
    }
}
