package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.context.ContextStore;
import dev.triage.context.SharedContext;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions' shared contexts on the Redis every instance shares: one string per session,
 * {@code covered hash} and a newline before the text, written in one command ({@code SET … EX}) and kept
 * a day after it was last written. Redis being away makes it forget,
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
            String value = redis.call(r -> r.get(prefix + session));
            int newline = value == null ? -1 : value.indexOf('\n');
            if (newline < 0) {
                return Optional.empty();
            }
            String[] head = value.substring(0, newline).split(" ", 2);
            return Optional.of(new SharedContext(Integer.parseInt(head[0]), head[1], value.substring(newline + 1)));
        } catch (BudgetStoreUnavailableException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty(); // unreachable, or a key another program wrote
        }
    }

    @Override
    public void put(String session, SharedContext context) {
        String value = context.covered() + " " + context.coveredHash() + "\n" + context.text();
        try {
            redis.call(r -> r.set(prefix + session, value, SetArgs.Builder.ex(KEEP.toSeconds())));
        } catch (BudgetStoreUnavailableException e) {
            // forgotten: written again at the next compaction
        }
    }
}
