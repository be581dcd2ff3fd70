package dev.triage.context;

import java.util.Objects;

/**
 * A route's {@code context:} setting.
 *
 * @param compactAfterTokens history (everything but the system prompt) longer than this is compacted
 * @param keepLastTurns      turns (a user message and what follows it) kept verbatim after the shared context
 * @param summarizer         the model that writes the shared context; its calls are in the ledger as step {@code context}
 * @param experiment         the share of sessions that get compaction (the rest are the control arm, sent the
 *                           full history), chosen by session so a conversation stays in its arm; 1 without an experiment
 */
public record ContextSettings(int compactAfterTokens, int keepLastTurns, String summarizer, double experiment) {

    public static final int DEFAULT_COMPACT_AFTER_TOKENS = 8_000;
    public static final int DEFAULT_KEEP_LAST_TURNS = 4;

    public ContextSettings {
        Objects.requireNonNull(summarizer, "summarizer");
        if (compactAfterTokens < 1 || keepLastTurns < 1 || experiment < 0 || experiment > 1) {
            throw new IllegalArgumentException("bad context settings");
        }
    }
}
