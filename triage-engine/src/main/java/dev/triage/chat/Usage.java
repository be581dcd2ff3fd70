package dev.triage.chat;

/**
 * Token counts of one upstream call, normalised to OpenAI's meaning.
 *
 * <p>{@code inputTokens} is every prompt token, including {@code cachedInputTokens} (read from the
 * provider's prompt cache) and {@code cacheWriteTokens} (written to it). {@code outputTokens} is every
 * generated token, including {@code reasoningTokens}. {@code estimated} is true when the provider did
 * not report usage and the counts come from a local tokenizer estimate.
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens,
                    long reasoningTokens, boolean estimated) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public static Usage reported(long input, long output) {
        return new Usage(input, output, 0, 0, 0, false);
    }

    public static Usage estimate(long input, long output) {
        return new Usage(input, output, 0, 0, 0, true);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Prompt tokens billed at the plain input price. */
    public long uncachedInputTokens() {
        return Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens);
    }
}
