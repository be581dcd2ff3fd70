package dev.triage.simulate;

import dev.triage.chat.Money;

/**
 * What one model did on one item: its score on the manifest's scale, and, when the dataset recorded
 * them, the response text, the number of output tokens and what the answer cost.
 *
 * @param response     the answer text, or null when the dataset has none (MMLU)
 * @param outputTokens the recorded output length, or null when only the text (or nothing) is known
 * @param cost         the recorded cost of this answer ({@code cost_usd}, to the picodollar), which wins over the
 *                     manifest's prices; null when the cost is to be computed from prices and tokens
 */
public record Outcome(double score, String response, Integer outputTokens, Money cost) {

    public Outcome {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite: " + score);
        }
        if (outputTokens != null && outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens cannot be negative: " + outputTokens);
        }
        if (cost != null && cost.isNegative()) {
            throw new IllegalArgumentException("cost cannot be negative: " + cost);
        }
    }

    /** An outcome whose cost comes from the manifest's prices. */
    public Outcome(double score, String response, Integer outputTokens) {
        this(score, response, outputTokens, null);
    }
}
