package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/responses/{id}/input_items}: the items a stored response was generated from (the conversation
 * it continued and its own input, oldest first), as the Responses API lists them — each with an {@code id}, a
 * {@code status}, and messages with content parts — a page at a time ({@code limit} 1–100, default 20;
 * {@code order} {@code desc}, the default, or {@code asc}; {@code after} an item id of the list).
 *
 * <p>An item the client sent without an id gets one from its position and content ({@code in_} and 24
 * characters of their SHA-256), so the same item of a conversation has the same id in every response that
 * continues it, and pages can be walked.
 */
final class InputItemList {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private InputItemList() {
    }

    /** One page of {@code conversation}'s items for the query parameters {@code query}; bad parameters are refused. */
    static ObjectNode page(ArrayNode conversation, Map<String, List<String>> query) {
        int limit = limit(one(query, "limit"));
        String order = one(query, "order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ApiError.badRequest("order", "'order' must be asc or desc");
        }
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < conversation.size(); i++) {
            items.add(listed(conversation.get(i), i));
        }
        if (!"asc".equals(order)) {
            items = items.reversed();
        }
        String after = one(query, "after");
        int from = 0;
        if (after != null) {
            from = -1;
            for (int i = 0; i < items.size() && from < 0; i++) {
                if (after.equals(items.get(i).path("id").asText())) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw ApiError.badRequest("after", "'after' must be the id of an item of this response's input items");
            }
        }
        List<ObjectNode> shown = items.subList(from, Math.min(items.size(), from + limit));
        ObjectNode out = NODES.objectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        shown.forEach(data::add);
        out.put("first_id", shown.isEmpty() ? null : shown.getFirst().path("id").asText());
        out.put("last_id", shown.isEmpty() ? null : shown.getLast().path("id").asText());
        out.put("has_more", from + shown.size() < items.size());
        return out;
    }

    private static String one(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiError.badRequest(name, "'" + name + "' is given " + values.size() + " times; give it once");
        }
        return values.getFirst();
    }

    private static int limit(String text) {
        if (text == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below, as a number out of range is
        }
        throw ApiError.badRequest("limit", "'limit' must be a whole number from 1 to 100");
    }

    /** A stored input item as the API lists it: an id, a status, and a message's text as content parts. */
    private static ObjectNode listed(JsonNode stored, int position) {
        ObjectNode item = ((ObjectNode) stored).deepCopy();
        String type = item.path("type").asText();
        if (!item.path("id").isTextual()) {
            item.put("id", "in_" + digest(position + ":" + stored));
        }
        if (type.equals("message") && item.path("content").isTextual()) {
            boolean assistant = "assistant".equals(item.path("role").asText());
            ObjectNode part = NODES.objectNode().put("type", assistant ? "output_text" : "input_text").put("text", item.get("content").textValue());
            if (assistant) {
                part.putArray("annotations");
            }
            item.putArray("content").add(part);
        }
        if (type.equals("reasoning") && !item.has("summary")) {
            item.putArray("summary");
        }
        if (!item.has("status") && !type.equals("reasoning")) {
            item.put("status", "completed");
        }
        return item;
    }

    /** 24 base-32 characters of the SHA-256 of {@code text}. */
    private static String digest(String text) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            out.append(BASE32[(hash[i] & 0xff) % 32]);
        }
        return out.toString();
    }
}
