package dev.triage.budget.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.responsecache.AnswerStore;
import dev.triage.responsecache.CachedAnswer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cached answers shared by every instance on one Redis: one string per answer ({@code SET … PX}, its
 * lifetime) under {@code PREFIXa:<digest>}, and a sorted set of them by expiry that a script trims to
 * {@code max_entries} on every store, soonest to expire first. Keys are digests and values are the answers
 * the clients got: nothing secret. Redis being away is a miss, never an error.
 */
public final class RedisAnswerStore implements AnswerStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisAnswerStore.class);

    private final RedisLink redis;
    private final String prefix;
    private final String index;
    private final int maxEntries;
    private final ObjectMapper json;
    private final Clock clock;
    private final RedisLink.Script put = RedisLink.Script.load("answer_put.lua");

    /** @param prefix what every key starts with, e.g. {@code triage:rc:} */
    public RedisAnswerStore(RedisLink redis, String prefix, int maxEntries, ObjectMapper json, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.index = prefix + "answers";
        this.maxEntries = maxEntries;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Optional<CachedAnswer> get(String key) {
        String value;
        try {
            value = redis.call(r -> r.get(prefix + "a:" + key));
        } catch (BudgetStoreUnavailableException e) {
            return Optional.empty();
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CachedAnswer.decode(json, value));
        } catch (IllegalArgumentException damaged) {
            LOG.warn("Ignored a response-cache entry in Redis that is not a cached answer: {}", damaged.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, CachedAnswer answer, long bytes, Duration ttl) {
        try {
            redis.run(put, new String[] {prefix + "a:" + key, index}, answer.encode(json), Long.toString(ttl.toMillis()),
                    Long.toString(clock.millis()), Integer.toString(maxEntries));
        } catch (BudgetStoreUnavailableException e) {
            // not kept: the next identical request is answered upstream
        }
    }
}
