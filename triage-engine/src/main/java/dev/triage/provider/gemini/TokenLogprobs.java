package dev.triage.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A candidate's {@code logprobsResult} in OpenAI's {@code choices[].logprobs} shape.
 *
 * <p>Gemini gives, per decoding step, the chosen token ({@code chosenCandidates[i]}) and the most likely
 * ones ({@code topCandidates[i].candidates}); OpenAI gives one {@code content} entry per token with its
 * alternatives in {@code top_logprobs}. proto3 JSON leaves out a {@code logProbability} of 0, so a missing
 * one is 0 (probability 1), not unknown.
 */
final class TokenLogprobs {

    private TokenLogprobs() {
    }

    /** {@code {content: [...], refusal: null}} for the candidate, or null when it carries no {@code logprobsResult}. */
    static ObjectNode of(JsonNode candidate) {
        JsonNode result = candidate.get("logprobsResult");
        if (result == null || !result.isObject()) {
            return null;
        }
        ArrayNode content = ResponseTranslator.JSON.createArrayNode();
        JsonNode chosen = result.path("chosenCandidates");
        JsonNode top = result.path("topCandidates");
        for (int step = 0; step < chosen.size(); step++) {
            ObjectNode token = entry(chosen.get(step));
            ArrayNode alternatives = token.putArray("top_logprobs");
            for (JsonNode alternative : top.path(step).path("candidates")) {
                alternatives.add(entry(alternative));
            }
            content.add(token);
        }
        ObjectNode logprobs = ResponseTranslator.JSON.createObjectNode();
        logprobs.set("content", content);
        logprobs.putNull("refusal");
        return logprobs;
    }

    private static ObjectNode entry(JsonNode gemini) {
        String text = gemini.path("token").asText("");
        ObjectNode entry = ResponseTranslator.JSON.createObjectNode();
        entry.put("token", text);
        entry.put("logprob", gemini.path("logProbability").asDouble(0.0));
        ArrayNode bytes = entry.putArray("bytes");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return entry;
    }
}
