package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Responses items as Chat Completions messages: a message item is a message; {@code function_call} items
 * join the assistant message before them as its {@code tool_calls}; a {@code function_call_output} is a
 * {@code tool} message; reasoning items are left out (only the model that wrote them could read them).
 */
final class ItemMessages {

    private ItemMessages() {
    }

    /** Appends the messages for {@code items} (checked by {@link ResponsesRequest}) to {@code messages}. */
    static void append(ArrayNode items, ArrayNode messages) {
        for (JsonNode item : items) {
            switch (item.path("type").asText()) {
                case "message" -> messages.add(message(item));
                case "function_call" -> {
                    ObjectNode assistant = openAssistant(messages);
                    ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls") : assistant.putArray("tool_calls");
                    ObjectNode call = calls.addObject();
                    call.set("id", item.get("call_id"));
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.set("name", item.get("name"));
                    function.set("arguments", item.get("arguments"));
                }
                case "function_call_output" -> messages.addObject().put("role", "tool")
                        .put("tool_call_id", item.get("call_id").textValue()).set("content", item.get("output"));
                default -> { }
            }
        }
    }

    /** The last message when it is an assistant's that tool calls can join, else a new one with no text. */
    private static ObjectNode openAssistant(ArrayNode messages) {
        if (!messages.isEmpty()) {
            JsonNode last = messages.get(messages.size() - 1);
            if ("assistant".equals(last.path("role").asText())) {
                return (ObjectNode) last;
            }
        }
        ObjectNode assistant = messages.addObject();
        assistant.put("role", "assistant");
        assistant.putNull("content");
        return assistant;
    }

    private static ObjectNode message(JsonNode item) {
        String role = item.get("role").textValue();
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("role", role);
        JsonNode content = item.get("content");
        if (content.isTextual() || !"user".equals(role)) {
            // Only user messages may carry images; every other role's parts are text, sent as one string.
            message.put("content", content.isTextual() ? content.textValue() : textOf(content, "content"));
            return message;
        }
        ArrayNode parts = message.putArray("content");
        for (JsonNode part : content) {
            switch (part.get("type").textValue()) {
                case "input_image" -> {
                    ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
                    url.set("url", part.get("image_url"));
                    if (part.path("detail").isTextual()) {
                        url.set("detail", part.get("detail"));
                    }
                }
                default -> parts.addObject().put("type", "text").put("text", partText(part));
            }
        }
        return message;
    }

    /** Checks one content part of a message item. */
    static void checkPart(JsonNode part, String at) {
        if (!part.isObject() || !part.path("type").isTextual()) {
            throw ApiError.badRequest(at, "'" + at + "' must be an object with a 'type'");
        }
        switch (part.get("type").textValue()) {
            case "input_text", "output_text" -> {
                if (!part.path("text").isTextual()) {
                    throw ApiError.badRequest(at + ".text", "'" + at + ".text' must be a string");
                }
            }
            case "refusal" -> {
                if (!part.path("refusal").isTextual()) {
                    throw ApiError.badRequest(at + ".refusal", "'" + at + ".refusal' must be a string");
                }
            }
            case "input_image" -> {
                if (!part.path("image_url").isTextual()) {
                    throw ApiError.badRequest("unsupported_content", at + ".image_url", "'" + at + ".image_url' must be a URL or a"
                            + " data: URL; uploaded files (file_id) are not supported");
                }
            }
            default -> throw ApiError.badRequest("unsupported_content", at + ".type", "content parts of type '"
                    + part.get("type").textValue() + "' are not supported; Triage takes input_text, input_image, output_text and refusal");
        }
    }

    /** The text of an array of text parts, joined; anything but text is refused. */
    static String textOf(JsonNode parts, String at) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String type = part.path("type").asText();
            if (!type.equals("input_text") && !type.equals("output_text") && !type.equals("refusal")) {
                throw ApiError.badRequest("unsupported_content", at + "[" + i + "]", "'" + at + "[" + i
                        + "]' must be text here (input_text or output_text)");
            }
            if (!part.path("text").isTextual() && !part.path("refusal").isTextual()) {
                throw ApiError.badRequest(at + "[" + i + "].text", "'" + at + "[" + i + "].text' must be a string");
            }
            text.append(partText(part));
        }
        return text.toString();
    }

    private static String partText(JsonNode part) {
        return part.has("refusal") ? part.get("refusal").textValue() : part.get("text").textValue();
    }
}
