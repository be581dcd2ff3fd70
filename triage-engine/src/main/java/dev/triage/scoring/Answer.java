package dev.triage.scoring;

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
}
