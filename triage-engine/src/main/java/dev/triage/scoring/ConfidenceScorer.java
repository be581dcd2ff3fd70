package dev.triage.scoring;

/**
 * Says how far an answer can be trusted, from 0 (not at all) to 1. Cascades escalate and task rules
 * fall back when the confidence is below their threshold.
 */
public interface ConfidenceScorer {

    /** The config name of this scorer ({@code heuristic}, {@code logprob}, {@code verifier}, {@code consistency}). */
    String name();

    /** Whether the scored call must ask the provider for token logprobs. */
    default boolean needsLogprobs() {
        return false;
    }

    /** The confidence of {@code answer}; may call models through {@code calls} (judges, extra samples). */
    double score(Answer answer, ModelCalls calls);
}
