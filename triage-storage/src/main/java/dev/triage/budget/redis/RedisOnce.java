package dev.triage.budget.redis;

import dev.triage.budget.BudgetAlerts;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Objects;

/** Claims an id once across every instance on one Redis ({@code SET NX} with an expiry): the first claim wins. */
public final class RedisOnce implements BudgetAlerts.Once {

    private final RedisLink redis;
    private final String prefix;

    /** @param prefix what every claim's key starts with, e.g. {@code triage:} */
    public RedisOnce(RedisLink redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public boolean claim(String id, Duration keep) {
        return "OK".equals(redis.call(r -> r.set(prefix + id, "1", SetArgs.Builder.nx().ex(keep.toSeconds()))));
    }
}
