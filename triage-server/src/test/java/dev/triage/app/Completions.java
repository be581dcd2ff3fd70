package dev.triage.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.provider.openai.OpenAiWire;
import mockwebserver3.MockResponse;

/** OpenAI {@code chat.completion} answers with chosen text (and token logprobs), as a fake upstream sends them. */
final class Completions {

    private Completions() {
    }

    static MockResponse text(String content) {
        return OpenAiWire.json(200, body(content, NullNode.getInstance(), "stop"));
    }

    /** An answer cut off at the token limit ({@code finish_reason: length}). */
    static MockResponse cutOff(String content) {
        return OpenAiWire.json(200, body(content, NullNode.getInstance(), "length"));
    }

    /** An answer whose tokens all have {@code logprob}. */
    static MockResponse withLogprobs(String content, double logprob) {
        String tokens = "{\"content\":[{\"token\":\"A\",\"logprob\":" + logprob + ",\"bytes\":[65],\"top_logprobs\":[]},"
                + "{\"token\":\"B\",\"logprob\":" + logprob + ",\"bytes\":[66],\"top_logprobs\":[]}],\"refusal\":null}";
        return OpenAiWire.json(200, body(content, OpenAiWire.object(tokens), "stop"));
    }

    /** {@link OpenAiWire#COMPLETION_TEXT} with another answer: its content, logprobs and finish reason. */
    private static String body(String content, JsonNode logprobs, String finishReason) {
        ObjectNode body = OpenAiWire.object(OpenAiWire.COMPLETION_TEXT);
        ObjectNode choice = (ObjectNode) body.get("choices").get(0);
        ((ObjectNode) choice.get("message")).put("content", content);
        choice.set("logprobs", logprobs);
        choice.put("finish_reason", finishReason);
        return body.toString();
    }
}
