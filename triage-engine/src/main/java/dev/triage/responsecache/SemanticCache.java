package dev.triage.responsecache;

import java.time.Duration;
import java.util.Optional;

/**
 * Questions by meaning, each pointing at an answer in the {@link AnswerStore}: in this process
 * ({@link InMemorySemanticCache}), or in Redis so that every instance finds what any stored. Buckets keep
 * tenants, routes, parameters and histories apart; only questions within one bucket are compared, by
 * {@link SemanticMatcher}.
 */
public interface SemanticCache {

    /** The question as the cache compares it, or empty when it cannot be embedded now (the embedder is overloaded). */
    Optional<SemanticProbe> probe(String question);

    /**
     * The answer key of the question in {@code bucket} that matches, if one does.
     *
     * @param threshold the route's threshold, or null for the calibrated default
     */
    Optional<String> find(String bucket, SemanticProbe probe, Double threshold);

    /** Adds a question whose answer is stored under {@code answerKey}, matched for {@code ttl}. */
    void add(String bucket, SemanticProbe probe, String answerKey, Duration ttl);
}
