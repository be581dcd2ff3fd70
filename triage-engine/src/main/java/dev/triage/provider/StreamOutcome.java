package dev.triage.provider;

import dev.triage.chat.Usage;

/**
 * How a stream ended.
 *
 * @param usage        the provider-reported usage, or null if the provider sent none (the caller estimates)
 * @param finishReason OpenAI finish reason of the last chunk, or null
 */
public record StreamOutcome(Usage usage, String finishReason) {
}
