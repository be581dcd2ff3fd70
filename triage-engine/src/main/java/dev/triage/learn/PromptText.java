package dev.triage.learn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text a learned model reads from a chat request: the system and user messages' text, in order,
 * one per line. Assistant and tool turns are left out: they are the models' words, not the task.
 * Training and live routing both go through here, so they see the same text.
 */
public final class PromptText {

    private PromptText() {
    }

    /** The prompt text of an OpenAI {@code messages} array. */
    public static String of(JsonNode messages) {
        StringBuilder out = new StringBuilder();
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!role.equals("user") && !role.equals("system") && !role.equals("developer")) {
                continue;
            }
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                append(out, content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    if (part.path("type").asText("").equals("text")) {
                        append(out, part.path("text").asText(""));
                    }
                }
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String text) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append(text);
    }
}
