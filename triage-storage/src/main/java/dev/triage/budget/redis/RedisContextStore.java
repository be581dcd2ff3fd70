package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.context.ContextStore;
import dev.triage.context.SharedContext;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions' shared contexts on the Redis every instance shares: a hash per session ({@code covered},
 * {@code hash}, {@code text}) kept a day after it was last written. Redis being away makes it forget,
 * never refuse: the next compaction writes the shared context again.
 */
public final class RedisContextStore implements ContextStore {

    static final Duration KEEP = Duration.ofDays(1);

    private final RedisLink redis;
    private final String prefix;

    /** @param prefix what every key starts with, e.g. {@code triage:context:} */
    public RedisContextStore(RedisLink redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public Optional<SharedContext> get(String session) {
        try {
            Map<String, String> h = redis.call(r -> r.hgetall(prefix + session));
            if (h == null || !h.containsKey("text")) {
                return Optional.empty();
            }
            return Optional.of(new SharedContext(Integer.parseInt(h.get("covered")), h.get("hash"), h.get("text")));
        } catch (BudgetStoreUnavailableException | NumberFormatException e) {
            return Optional.empty(); // unreachable, or a key another program wrote
        }
    }

    @Override
    public void put(String session, SharedContext context) {
        try {
            redis.call(r -> {
                String key = prefix + session;
                r.hset(key, Map.of("covered", Integer.toString(context.covered()), "hash", context.coveredHash(), "text", context.text()));
                return r.expire(key, KEEP.toSeconds());
            });
        } catch (BudgetStoreUnavailableException e) {
            // forgotten: written again at the next compaction
        }
    }
}
