package dev.triage.report;

import dev.triage.chat.Money;

/**
 * One user's attempts in a period, summed.
 *
 * @param user     the OpenAI {@code user} field, or null for requests without one
 * @param requests requests started (attempts numbered 1)
 */
public record UserUsage(String user, long attempts, long requests, Money cost) {
}
