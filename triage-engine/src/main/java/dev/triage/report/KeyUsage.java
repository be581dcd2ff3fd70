package dev.triage.report;

import dev.triage.chat.Money;

/**
 * One virtual key's attempts in a period, summed.
 *
 * @param key      the key's name, or null for requests without a virtual key
 * @param requests requests started (attempts numbered 1)
 */
public record KeyUsage(String key, long attempts, long requests, long inputTokens, long outputTokens, Money cost) {
}
