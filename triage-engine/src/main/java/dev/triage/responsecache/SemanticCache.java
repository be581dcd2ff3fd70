package dev.triage.responsecache;

import java.time.Duration;
import java.util.List;

/**
 * Questions by meaning, each pointing at an answer in the {@link AnswerStore}: in this process, or in
 * Redis so that every instance finds what any stored. Buckets keep tenants, routes, parameters and
 * histories apart; only questions within one bucket are compared.
 */
public interface SemanticCache {

    /** A question as the cache compares it (its embedding and what the match rule reads). */
    interface Probe {
    }

    /** The question prepared for {@link #find} and {@link #add}, or null when it cannot be embedded now (overloaded). */
    Probe probe(String question);

    /**
     * The answer keys of the questions in {@code bucket} that match, best first (usually one).
     *
     * @param threshold the route's threshold, or null for the calibrated default
     */
    List<String> find(String bucket, Probe probe, Double threshold);

    /** Adds a question whose answer is stored under {@code answerKey}. */
    void add(String bucket, Probe probe, String answerKey, Duration ttl);
}
