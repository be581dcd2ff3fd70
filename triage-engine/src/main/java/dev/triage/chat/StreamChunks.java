package dev.triage.chat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Makes the OpenAI {@code chat.completion.chunk} objects of one stream: every chunk carries the same
 * id, creation time and model, and one choice (index 0) with a delta and a finish reason.
 */
public record StreamChunks(String id, long created, String model) {

    /** A chunk with {@code delta} and {@code finishReason} (null while the answer goes on). */
    public ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }
}
