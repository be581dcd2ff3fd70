package dev.triage.scoring;

import dev.triage.learn.LearnedModel;
import dev.triage.learn.PromptText;

/**
 * The {@code learned} scorer: the trained model's probability that the answer is acceptable, from the
 * prompt's nearest recorded neighbours and the answer's own features (a final answer, correct sums,
 * hedging, truncation). Makes no model calls. An answer from a model the file has no acceptance head
 * for (config validation refuses such cascades) gets the heuristic's confidence instead.
 */
public final class LearnedScorer implements ConfidenceScorer {

    private final LearnedModel model;
    private final HeuristicScorer fallback = new HeuristicScorer();

    public LearnedScorer(LearnedModel model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "learned";
    }

    @Override
    public double score(Answer answer, ModelCalls calls) {
        String prompt = PromptText.of(answer.request().messages());
        return model.acceptProbability(answer.model(), prompt, answer.text(), answer.effectiveFinishReason())
                .orElseGet(() -> fallback.score(answer, calls));
    }
}
