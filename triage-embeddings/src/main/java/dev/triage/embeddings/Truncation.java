package dev.triage.embeddings;

/**
 * How a text longer than the model's window is cut: its first {@code headTokens} word pieces and its
 * last {@code tailTokens}, between the {@code [CLS]} and {@code [SEP]} markers. MiniLM was trained on
 * 128-token inputs and its cost grows with length, so long prompts are cut rather than averaged over
 * windows; keeping the tail as well as the head keeps the question that often ends a long prompt.
 *
 * @param headTokens word pieces kept from the start (at least 1)
 * @param tailTokens word pieces kept from the end (0 for head only)
 */
public record Truncation(int headTokens, int tailTokens) {

    /** BERT's position table: at most 512 tokens including the two markers. */
    static final int MAX_SEQUENCE = 512;

    public Truncation {
        if (headTokens < 1 || tailTokens < 0 || headTokens + tailTokens + 2 > MAX_SEQUENCE) {
            throw new IllegalArgumentException("truncation needs head >= 1, tail >= 0 and head + tail <= "
                    + (MAX_SEQUENCE - 2) + " tokens, got head " + headTokens + ", tail " + tailTokens);
        }
    }

    /**
     * The rule for a window of {@code maxTokens} (markers included), keeping the last quarter of the
     * text pieces from the end when {@code keepTail}.
     */
    public static Truncation of(int maxTokens, boolean keepTail) {
        if (maxTokens < 3 || maxTokens > MAX_SEQUENCE) {
            throw new IllegalArgumentException("max tokens must be between 3 and " + MAX_SEQUENCE + ", got " + maxTokens);
        }
        int pieces = maxTokens - 2;
        int tail = keepTail ? pieces / 4 : 0;
        return new Truncation(pieces - tail, tail);
    }

    /** The longest input the model sees, markers included. */
    public int maxTokens() {
        return headTokens + tailTokens + 2;
    }

    /** A short name for embedder ids: {@code 128} (head only) or {@code 96-tail23}. */
    public String id() {
        return tailTokens == 0 ? Integer.toString(maxTokens()) : maxTokens() + "-tail" + tailTokens;
    }
}
