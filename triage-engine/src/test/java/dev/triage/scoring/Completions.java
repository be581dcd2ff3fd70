package dev.triage.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.Usage;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** OpenAI wire-format request and {@code chat.completion} bodies for scorer tests. */
final class Completions {

    static final ObjectMapper JSON = new ObjectMapper();

    private Completions() {
    }

    static ChatRequest request(String userMessage) {
        return request(userMessage, body -> { });
    }

    /** A request for {@code gpt-4o-mini} with a system prompt and one user turn; {@code extra} adds fields. */
    static ChatRequest request(String userMessage, Consumer<ObjectNode> extra) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "gpt-4o-mini");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
        messages.addObject().put("role", "user").put("content", userMessage);
        extra.accept(body);
        return new ChatRequest(body);
    }

    /** A {@code chat.completion} body with one choice; {@code content} may be null. */
    static ObjectNode completion(String content, String finishReason) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
        body.put("object", "chat.completion");
        body.put("created", 1_764_331_200L);
        body.put("model", "gpt-4o-mini-2024-07-18");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (content == null) {
            message.putNull("content");
        } else {
            message.put("content", content);
        }
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", 24).put("completion_tokens", 9).put("total_tokens", 33);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        body.put("service_tier", "default");
        body.put("system_fingerprint", "fp_560af6e559");
        return body;
    }

    /** {@code completion} with {@code logprobs.content}: one entry per token, as OpenAI sends with {@code logprobs: true}. */
    static ObjectNode withLogprobs(ObjectNode completion, String[] tokens, double[] logprobs) {
        ObjectNode lp = ((ObjectNode) completion.path("choices").path(0)).putObject("logprobs");
        ArrayNode content = lp.putArray("content");
        for (int i = 0; i < tokens.length; i++) {
            ObjectNode t = content.addObject();
            t.put("token", tokens[i]);
            t.put("logprob", logprobs[i]);
            ArrayNode bytes = t.putArray("bytes");
            for (byte b : tokens[i].getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b & 0xff);
            }
            t.putArray("top_logprobs");
        }
        lp.putNull("refusal");
        return completion;
    }

    /** A completion whose message calls one tool, as OpenAI sends it ({@code content} null, finish {@code tool_calls}). */
    static ObjectNode toolCall(String name, String arguments) {
        ObjectNode body = completion(null, "tool_calls");
        ObjectNode call = ((ObjectNode) body.path("choices").path(0).path("message")).putArray("tool_calls").addObject();
        call.put("id", "call_Vx1m2ZkQ8b7d3Jt9LqYp0aHs");
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return body;
    }

    static Answer answer(ChatRequest request, ObjectNode completion) {
        return new Answer(request, completion, completion.path("choices").path(0).path("finish_reason").asText(null),
                "gemini-2.0-flash");
    }

    static Answer answer(String userMessage, String content) {
        return answer(request(userMessage), completion(content, "stop"));
    }

    static ChatResponse response(String content) {
        return new ChatResponse(completion(content, "stop"), Usage.reported(24, 9), "stop");
    }
}
