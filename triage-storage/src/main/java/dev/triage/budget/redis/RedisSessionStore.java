package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.caching.SessionState;
import dev.triage.caching.SessionStore;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Conversations' warm caches shared by every instance on one Redis: one string per session id,
 * {@code warmed_at_ms prefix_tokens model}, written in one command ({@code SET … EX}) that expires it an
 * hour after its last turn, the longest a provider cache entry lives. Redis being away makes it forget, never refuse:
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
        String value;
        try {
            value = redis.call(r -> r.get(prefix + session));
        } catch (BudgetStoreUnavailableException e) {
            return Optional.empty();
        }
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(" ", 3);
        try {
            return Optional.of(new SessionState(parts[2], Instant.ofEpochMilli(Long.parseLong(parts[0])), Long.parseLong(parts[1])));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String session, SessionState state) {
        String value = state.warmedAt().toEpochMilli() + " " + state.prefixTokens() + " " + state.model();
        try {
            redis.call(r -> r.set(prefix + session, value, SetArgs.Builder.ex(KEEP.toSeconds())));
        } catch (BudgetStoreUnavailableException e) {
            // forgotten: the next turn is routed as if the conversation were new
        }
    }
}
