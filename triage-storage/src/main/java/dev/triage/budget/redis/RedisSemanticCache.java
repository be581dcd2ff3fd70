package dev.triage.budget.redis;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.embed.EmbedderOverloadedException;
import dev.triage.responsecache.SemanticCache;
import dev.triage.responsecache.SemanticIndex;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Questions by meaning shared by every instance on one Redis: one hash per bucket ({@code PREFIXq:<digest>}),
 * answer key to {@code "expires_at_ms probe"}, at most {@link SemanticIndex#DEFAULT_MAX_PER_BUCKET} of them
 * (a script drops the soonest to expire), the hash itself expiring with its longest-lived question. A lookup
 * reads the bucket and compares here, with the same {@link SemanticMatcher} as in memory. Redis being away is
 * a miss, never an error.
 */
public final class RedisSemanticCache implements SemanticCache {

    private final RedisLink redis;
    private final String prefix;
    private final SemanticMatcher matcher;
    private final Clock clock;
    private final RedisLink.Script add = RedisLink.Script.load("question_add.lua");

    /** @param prefix what every key starts with, e.g. {@code triage:rc:} */
    public RedisSemanticCache(RedisLink redis, String prefix, SemanticMatcher matcher, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.matcher = Objects.requireNonNull(matcher, "matcher");
        this.clock = clock;
    }

    @Override
    public Optional<SemanticProbe> probe(String question) {
        try {
            return Optional.of(matcher.probe(question));
        } catch (EmbedderOverloadedException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> find(String bucket, SemanticProbe probe, Double threshold) {
        Map<String, String> entries;
        try {
            entries = redis.call(r -> r.hgetall(prefix + "q:" + bucket));
        } catch (BudgetStoreUnavailableException e) {
            return Optional.empty();
        }
        long now = clock.millis();
        List<SemanticMatcher.Candidate> live = new ArrayList<>(entries.size());
        entries.forEach((answerKey, value) -> {
            int space = value.indexOf(' ');
            try {
                if (space > 0 && Long.parseLong(value, 0, space, 10) > now) {
                    live.add(new SemanticMatcher.Candidate(answerKey, SemanticProbe.decode(value.substring(space + 1))));
                }
            } catch (RuntimeException damaged) {
                // an entry this version cannot read never matches
            }
        });
        SemanticMatcher m = threshold == null ? matcher : matcher.with(matcher.settings().withThreshold(threshold));
        return m.best(probe, live).map(SemanticMatcher.Match::id);
    }

    @Override
    public void add(String bucket, SemanticProbe probe, String answerKey, Duration ttl) {
        String value = (clock.millis() + ttl.toMillis()) + " " + probe.encode();
        try {
            redis.run(add, new String[] {prefix + "q:" + bucket}, answerKey, value, Long.toString(ttl.toMillis()),
                    Integer.toString(SemanticIndex.DEFAULT_MAX_PER_BUCKET));
        } catch (BudgetStoreUnavailableException e) {
            // not kept: the next question like it is answered upstream
        }
    }
}
