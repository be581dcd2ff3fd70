package dev.triage.scoring;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Confidence from the model's own token probabilities: {@code exp(mean logprob)}, the geometric mean
 * of the probabilities of the tokens it chose, over {@code choices[0].logprobs.content[*].logprob}
 * (OpenAI wire format). Entries without a numeric {@code logprob} are skipped.
 *
 * <p>An empty answer (no text, no tool call) scores 0. When the answer carries no token logprobs —
 * the provider ignored or cannot serve the flag, or the answer is only tool calls, which OpenAI
 * returns without logprobs — the score is the {@link HeuristicScorer}'s for the same answer; use
 * {@link #hasLogprobs} to tell which one was used.
 */
public final class LogprobScorer implements ConfidenceScorer {

    private final HeuristicScorer fallback;

    /** @param fallback scores answers that came back without logprobs */
    public LogprobScorer(HeuristicScorer fallback) {
        this.fallback = fallback;
    }

    @Override
    public String name() {
        return "logprob";
    }

    @Override
    public boolean needsLogprobs() {
        return true;
    }

    @Override
    public double score(Answer answer, ModelCalls calls) {
        if (answer.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        int count = 0;
        for (JsonNode token : tokens(answer)) {
            JsonNode logprob = token.path("logprob");
            if (logprob.isNumber()) {
                sum += logprob.asDouble();
                count++;
            }
        }
        if (count == 0) {
            return fallback.score(answer, calls);
        }
        // A logprob is <= 0 by definition; clamping guards against providers rounding to a tiny positive value.
        return Math.clamp(Math.exp(sum / count), 0.0, 1.0);
    }

    /** Whether {@code answer} carries at least one token logprob (otherwise {@link #score} used the heuristic). */
    public static boolean hasLogprobs(Answer answer) {
        for (JsonNode token : tokens(answer)) {
            if (token.path("logprob").isNumber()) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode tokens(Answer answer) {
        return answer.completion().path("choices").path(0).path("logprobs").path("content");
    }
}
