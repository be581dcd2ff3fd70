package dev.triage.simulate;

/**
 * What one model did on one item: its score on the manifest's scale, and, when the dataset recorded
 * them, the response text and the number of output tokens.
 *
 * @param response     the answer text, or null when the dataset has none (MMLU)
 * @param outputTokens the recorded output length, or null when only the text (or nothing) is known
 */
public record Outcome(double score, String response, Integer outputTokens) {

    public Outcome {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite: " + score);
        }
        if (outputTokens != null && outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens cannot be negative: " + outputTokens);
        }
    }
}
