package dev.triage.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A chat request in its canonical form: the OpenAI Chat Completions request body.
 *
 * <p>The body is kept as a JSON tree so that fields Triage does not interpret pass through to
 * OpenAI-compatible upstreams untouched. It is validated once at the door (see the server's request
 * parser); providers may assume {@code messages} is a non-empty array of objects with a {@code role}.
 * Instances are treated as immutable: use {@link #withModel} to retarget a copy.
 */
public final class ChatRequest {

    private final ObjectNode body;
    private final PromptCache cache;

    public ChatRequest(ObjectNode body) {
        this(body, PromptCache.DEFAULT);
    }

    public ChatRequest(ObjectNode body, PromptCache cache) {
        this.body = body;
        this.cache = java.util.Objects.requireNonNull(cache, "cache");
    }

    /** What providers' prompt caches should do for this request (the gateway's choice, not the client's body). */
    public PromptCache cache() {
        return cache;
    }

    /** The same request with another prompt-cache choice. */
    public ChatRequest withCache(PromptCache choice) {
        return new ChatRequest(body, choice);
    }

    /** The request body as sent by the client. Do not mutate; copy with {@link #copyBody()}. */
    public ObjectNode body() {
        return body;
    }

    public ObjectNode copyBody() {
        return body.deepCopy();
    }

    public String model() {
        return body.path("model").asText("");
    }

    public ArrayNode messages() {
        return (ArrayNode) body.get("messages");
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** True when a streaming client asked for a final usage chunk ({@code stream_options.include_usage}). */
    public boolean includeUsage() {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    /** {@code max_completion_tokens}, else {@code max_tokens}, else null. */
    public Integer maxOutputTokens() {
        JsonNode n = body.get("max_completion_tokens");
        if (n == null || n.isNull()) {
            n = body.get("max_tokens");
        }
        return n == null || n.isNull() ? null : n.asInt();
    }

    public String user() {
        JsonNode n = body.get("user");
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A copy of this request aimed at another model id. */
    public ChatRequest withModel(String model) {
        ObjectNode copy = body.deepCopy();
        copy.put("model", model);
        return new ChatRequest(copy, cache);
    }

    @Override
    public String toString() {
        return "ChatRequest[model=" + model() + ", messages=" + messages().size() + ", stream=" + stream() + "]";
    }
}
