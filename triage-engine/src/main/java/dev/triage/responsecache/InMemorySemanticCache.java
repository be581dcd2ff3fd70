package dev.triage.responsecache;

import dev.triage.embed.EmbedderOverloadedException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Questions by meaning in this process: a {@link SemanticIndex} bounded in total and per bucket. */
public final class InMemorySemanticCache implements SemanticCache {

    private final SemanticMatcher matcher;
    private final SemanticIndex index;
    private final Clock clock;

    public InMemorySemanticCache(SemanticMatcher matcher, int maxEntries, Clock clock) {
        this.matcher = matcher;
        this.index = new SemanticIndex(matcher, maxEntries, SemanticIndex.DEFAULT_MAX_PER_BUCKET);
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
        long now = clock.millis();
        return (threshold == null ? index.find(bucket, probe, now)
                : index.find(bucket, probe, now, matcher.settings().withThreshold(threshold))).map(SemanticMatcher.Match::id);
    }

    @Override
    public void add(String bucket, SemanticProbe probe, String answerKey, Duration ttl) {
        index.add(bucket, answerKey, probe, clock.millis() + ttl.toMillis());
    }
}
