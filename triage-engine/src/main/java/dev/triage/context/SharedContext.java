package dev.triage.context;

/**
 * What a conversation's older turns were condensed to.
 *
 * @param covered     how many messages after the system prompt it stands for
 * @param coveredHash a hash of those messages, so a conversation that rewrote its history is not given a
 *                    summary of another
 * @param text        the shared context: user profile, constraints, task history, relevant facts
 */
public record SharedContext(int covered, String coveredHash, String text) {
}
