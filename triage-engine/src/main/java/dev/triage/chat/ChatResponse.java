package dev.triage.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A complete (non-streaming) answer in OpenAI {@code chat.completion} shape, with the usage the
 * provider reported (or an estimate, marked as such). The body is built by {@link CompletionShape} (or
 * parsed from an OpenAI-compatible upstream) and never edited afterwards: whoever needs it different makes
 * a new one.
 *
 * @param body         the {@code chat.completion} object; its {@code usage} field mirrors {@code usage}
 * @param usage        token counts for billing; null or {@code estimated} when the provider reported none (the dispatcher then estimates)
 * @param finishReason OpenAI finish reason of the first choice ({@code stop}, {@code length},
 *                     {@code tool_calls}, {@code content_filter}), or null if unknown
 */
public record ChatResponse(ObjectNode body, Usage usage, String finishReason) {
}
