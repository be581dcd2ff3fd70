package dev.triage.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;

/**
 * An answer to score.
 *
 * @param request      the request as sent to the model
 * @param completion   the model's {@code chat.completion} body (with {@code logprobs} if they were asked for)
 * @param finishReason the OpenAI finish reason, or null
 * @param model        Triage's id of the model that answered
 */
public record Answer(ChatRequest request, ObjectNode completion, String finishReason, String model) {

    /** The text of the first choice, or "" if there is none. */
    public String text() {
        return completion.path("choices").path(0).path("message").path("content").asText("");
    }

    /** The {@code tool_calls} array of the first choice's message; missing or empty when the model called no tool. */
    public JsonNode toolCalls() {
        return completion.path("choices").path(0).path("message").path("tool_calls");
    }

    /** True when the answer has neither text nor tool calls: nothing a client could use. */
    public boolean isEmpty() {
        return text().isBlank() && toolCalls().isEmpty();
    }

    /** {@link #finishReason()}, else the first choice's {@code finish_reason} in the body, else null. */
    public String effectiveFinishReason() {
        if (finishReason != null) {
            return finishReason;
        }
        JsonNode n = completion.path("choices").path(0).path("finish_reason");
        return n.isTextual() ? n.asText() : null;
    }
}
