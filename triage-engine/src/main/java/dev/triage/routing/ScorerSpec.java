package dev.triage.routing;

import dev.triage.learn.LearnedModel;

/**
 * Which confidence scorer a route uses, and its settings.
 *
 * @param kind       {@code heuristic}, {@code logprob}, {@code verifier}, {@code consistency} or {@code learned}
 * @param judgeModel for {@code verifier}: the model that grades answers
 * @param samples    for {@code consistency}: how many answers to compare (k ≥ 2)
 * @param learned    for {@code learned}: the trained model whose acceptance heads judge answers
 */
public record ScorerSpec(String kind, String judgeModel, int samples, LearnedModel learned) {

    public ScorerSpec(String kind, String judgeModel, int samples) {
        this(kind, judgeModel, samples, null);
    }

    /** The {@code learned} scorer over {@code model}. */
    public static ScorerSpec learned(LearnedModel model) {
        return new ScorerSpec("learned", null, 0, model);
    }

    public static final ScorerSpec HEURISTIC = new ScorerSpec("heuristic", null, 0);
}
