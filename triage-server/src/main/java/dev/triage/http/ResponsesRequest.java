package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * A {@code POST /v1/responses} request, checked field by field (errors name the Responses field, not the
 * Chat Completions one it becomes) and translated into the Chat Completions request the gateway routes.
 *
 * <p>{@code instructions} become the first (system) message; {@code input} (a string, or message,
 * {@code function_call} and {@code function_call_output} items) become the messages after it;
 * function tools, {@code tool_choice}, {@code text.format}, {@code max_output_tokens},
 * {@code reasoning.effort} and the sampling fields become their Chat Completions twins.
 *
 * @param body       the request as the client sent it
 * @param input      its input as a list of items (a string input is one user message item)
 * @param stream     whether the client asked for a stream of events
 * @param store      whether the response is kept for {@code previous_response_id} and {@code GET} (default true)
 * @param previousId the stored response this one continues, or null
 */
record ResponsesRequest(ObjectNode body, ArrayNode input, boolean stream, boolean store, String previousId) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
    private static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high");
    /** Chat Completions fields that carry over with the same name and meaning. */
    private static final Set<String> SAME = Set.of("model", "stream", "temperature", "top_p", "parallel_tool_calls", "metadata", "user");
    /** Accepted and echoed, but with no effect on what is asked of the model. */
    private static final Set<String> ECHOED = Set.of("truncation", "service_tier", "include", "safety_identifier",
            "prompt_cache_key", "stream_options", "top_logprobs", "max_tool_calls");
    private static final Set<String> TRANSLATED = Set.of("input", "instructions", "tools", "tool_choice", "text",
            "max_output_tokens", "reasoning", "store", "previous_response_id");
    /** Responses features Triage does not serve, and why, so the client learns it at once rather than from a silent difference. */
    private static final Map<String, String> REFUSED = Map.of(
            "background", "background responses are not supported: send the request without 'background' and wait for the answer",
            "conversation", "the Conversations API is not supported: use 'previous_response_id' to continue a stored response",
            "prompt", "stored prompt templates are not supported: send the instructions and input themselves");

    /** Finds an item the gateway produced earlier by its id, for an {@code item_reference}. */
    @FunctionalInterface
    interface ItemLookup {
        /** The item, or empty when this caller has no stored item with this id. */
        Optional<JsonNode> find(String itemId);

        ItemLookup NONE = id -> Optional.empty();
    }

    /** Reads and checks a Responses request that refers to no stored items. */
    static ResponsesRequest read(ObjectNode body) {
        return read(body, ItemLookup.NONE);
    }

    /**
     * Reads and checks a Responses request; {@code body} is the parsed JSON object, and {@code items} resolves the
     * {@code item_reference}s in its input (clients such as the Vercel AI SDK refer to earlier output items so).
     */
    static ResponsesRequest read(ObjectNode body, ItemLookup items) {
        for (var field : body.properties()) {
            String name = field.getKey();
            if (REFUSED.containsKey(name)) {
                if (field.getValue().isNull() || field.getValue().isBoolean() && !field.getValue().booleanValue()) {
                    continue;
                }
                throw ApiError.badRequest("unsupported_parameter", name, REFUSED.get(name));
            }
            if (!SAME.contains(name) && !ECHOED.contains(name) && !TRANSLATED.contains(name)) {
                throw ApiError.badRequest("unknown_parameter", name, "Unknown parameter: '" + name + "'.");
            }
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiError.badRequest("stream", "'stream' must be a boolean");
        }
        JsonNode store = body.get("store");
        if (store != null && !store.isNull() && !store.isBoolean()) {
            throw ApiError.badRequest("store", "'store' must be a boolean");
        }
        JsonNode previous = body.get("previous_response_id");
        if (previous != null && !previous.isNull() && (!previous.isTextual() || previous.textValue().isBlank())) {
            throw ApiError.badRequest("previous_response_id", "'previous_response_id' must be the id of a stored response");
        }
        JsonNode instructions = body.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
            throw ApiError.badRequest("instructions", "'instructions' must be a string");
        }
        ArrayNode input = items(body.get("input"), items);
        tools(body.get("tools"));
        toolChoice(body.get("tool_choice"));
        format(body.path("text"));
        reasoning(body.get("reasoning"));
        JsonNode max = body.get("max_output_tokens");
        if (max != null && !max.isNull() && (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1)) {
            throw ApiError.badRequest("max_output_tokens", "'max_output_tokens' must be a positive integer");
        }
        return new ResponsesRequest(body, input, stream != null && stream.asBoolean(false),
                store == null || store.isNull() || store.booleanValue(), previous == null || previous.isNull() ? null : previous.textValue());
    }

    /** {@code instructions}, if any. */
    String instructions() {
        JsonNode n = body.get("instructions");
        return n == null || n.isNull() ? null : n.textValue();
    }

    /**
     * The Chat Completions request: instructions, then {@code history} (the items of the conversation this
     * continues, oldest first), then this request's input.
     */
    ObjectNode chat(ArrayNode history) {
        ObjectNode chat = NODES.objectNode();
        chat.set("model", body.get("model"));
        ArrayNode messages = chat.putArray("messages");
        if (instructions() != null) {
            messages.addObject().put("role", "system").put("content", instructions());
        }
        ItemMessages.append(history, messages);
        ItemMessages.append(input, messages);
        for (String field : SAME) {
            JsonNode n = body.get(field);
            if (n != null && !n.isNull() && !"model".equals(field)) {
                chat.set(field, n);
            }
        }
        if (stream) {
            // The closing event carries usage, so the upstream is always asked for it.
            chat.putObject("stream_options").put("include_usage", true);
        }
        JsonNode max = body.get("max_output_tokens");
        if (max != null && !max.isNull()) {
            chat.set("max_completion_tokens", max);
        }
        JsonNode effort = body.path("reasoning").path("effort");
        if (effort.isTextual()) {
            chat.set("reasoning_effort", effort);
        }
        JsonNode tools = body.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = chat.putArray("tools");
            for (JsonNode tool : tools) {
                ObjectNode function = out.addObject().put("type", "function").putObject("function");
                function.set("name", tool.get("name"));
                copy(tool, function, "description", "parameters", "strict");
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            if (choice.isTextual()) {
                chat.set("tool_choice", choice);
            } else {
                chat.putObject("tool_choice").put("type", "function").putObject("function").set("name", choice.get("name"));
            }
        }
        JsonNode format = body.path("text").path("format");
        if (format.isObject()) {
            ObjectNode rf = chat.putObject("response_format");
            String type = format.get("type").textValue();
            rf.put("type", type);
            if ("json_schema".equals(type)) {
                ObjectNode schema = rf.putObject("json_schema");
                copy(format, schema, "name", "description", "schema", "strict");
            }
        }
        return chat;
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            JsonNode n = from.get(f);
            if (n != null && !n.isNull()) {
                to.set(f, n);
            }
        }
    }

    /** The input as items: a string is one user message; an array is checked item by item. */
    private static ArrayNode items(JsonNode input, ItemLookup lookup) {
        if (input == null || input.isNull()) {
            throw ApiError.badRequest("input", "'input' is required: a string, or an array of input items");
        }
        ArrayNode items = NODES.arrayNode();
        if (input.isTextual()) {
            items.addObject().put("type", "message").put("role", "user").putArray("content").addObject()
                    .put("type", "input_text").put("text", input.textValue());
            return items;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiError.badRequest("input", "'input' must be a string or a non-empty array of input items");
        }
        for (int i = 0; i < input.size(); i++) {
            String at = "input[" + i + "]";
            JsonNode item = input.get(i);
            if ("item_reference".equals(item.path("type").asText())) {
                JsonNode id = item.get("id");
                if (id == null || !id.isTextual()) {
                    throw ApiError.badRequest(at + ".id", "'" + at + ".id' must be the id of an item of a stored response");
                }
                item = lookup.find(id.textValue()).orElseThrow(() -> ApiError.notFound("item_not_found", at + ".id",
                        "'" + at + "' refers to an item this caller has no stored response with (item ids are kept with"
                                + " store: true, for storage.responses_retention_days)"));
            }
            items.add(item(item, at));
        }
        return items;
    }

    private static ObjectNode item(JsonNode item, String at) {
        if (!item.isObject()) {
            throw ApiError.badRequest(at, "'" + at + "' must be an object");
        }
        ObjectNode copy = ((ObjectNode) item).deepCopy();
        String type = item.path("type").isTextual() ? item.get("type").textValue() : item.has("role") ? "message" : null;
        if (type == null) {
            throw ApiError.badRequest(at + ".type", "'" + at + ".type' is required");
        }
        copy.put("type", type);
        switch (type) {
            case "message" -> message(copy, at);
            case "function_call" -> {
                text(item, at, "call_id");
                text(item, at, "name");
                text(item, at, "arguments");
            }
            case "function_call_output" -> {
                text(item, at, "call_id");
                JsonNode output = item.get("output");
                if (output == null || !output.isTextual() && !output.isArray()) {
                    throw ApiError.badRequest(at + ".output", "'" + at + ".output' must be a string or an array of content parts");
                }
                if (output.isArray()) {
                    copy.put("output", ItemMessages.textOf(output, at + ".output"));
                }
            }
            // A model's reasoning between turns: other providers cannot read it, so it is kept but not sent.
            case "reasoning" -> { }
            default -> throw ApiError.badRequest("unsupported_input_item", at + ".type", "input items of type '" + type
                    + "' are not supported; Triage takes message, function_call, function_call_output, reasoning and item_reference items");
        }
        return copy;
    }

    private static void message(ObjectNode item, String at) {
        JsonNode role = item.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.textValue())) {
            throw ApiError.badRequest(at + ".role", "'" + at + ".role' must be one of user, assistant, system, developer");
        }
        JsonNode content = item.get("content");
        if (content == null || !content.isTextual() && !content.isArray()) {
            throw ApiError.badRequest(at + ".content", "'" + at + ".content' must be a string or an array of content parts");
        }
        if (content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                String partAt = at + ".content[" + p + "]";
                ItemMessages.checkPart(content.get(p), partAt);
                if (!"user".equals(role.textValue()) && "input_image".equals(content.get(p).get("type").textValue())) {
                    throw ApiError.badRequest("unsupported_content", partAt, "'" + partAt + "': images are accepted in user messages only");
                }
            }
        }
    }

    private static void text(JsonNode item, String at, String field) {
        if (!item.path(field).isTextual()) {
            throw ApiError.badRequest(at + "." + field, "'" + at + "." + field + "' must be a string");
        }
    }

    private static void tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw ApiError.badRequest("tools", "'tools' must be an array of tools");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            String type = tool.path("type").asText("");
            if (!"function".equals(type)) {
                throw ApiError.badRequest("unsupported_tool", at + ".type", type.isEmpty()
                        ? "'" + at + ".type' is required; Triage takes tools of type \"function\""
                        : "built-in tool '" + type + "' is not supported: Triage routes to several providers and takes only tools of type"
                        + " \"function\" (your application runs them)");
            }
            if (!tool.path("name").isTextual()) {
                throw ApiError.badRequest(at + ".name", "'" + at + ".name' is required: tools use the flat shape"
                        + " {\"type\": \"function\", \"name\": ..., \"parameters\": {...}}");
            }
            if (!TOOL_NAME.matcher(tool.get("name").textValue()).matches()) {
                throw ApiError.badRequest(at + ".name", "'" + at + ".name' must be 1 to 64 letters, digits, '_' or '-'");
            }
            JsonNode parameters = tool.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw ApiError.badRequest(at + ".parameters", "'" + at + ".parameters' must be a JSON Schema object");
            }
        }
    }

    private static void toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull() || choice.isTextual() && TOOL_CHOICES.contains(choice.textValue())) {
            return;
        }
        if (choice.isObject() && "function".equals(choice.path("type").asText()) && choice.path("name").isTextual()) {
            return;
        }
        throw ApiError.badRequest("tool_choice", "'tool_choice' must be \"none\", \"auto\", \"required\" or"
                + " {\"type\": \"function\", \"name\": ...}");
    }

    private static void format(JsonNode text) {
        if (text.isMissingNode() || text.isNull()) {
            return;
        }
        if (!text.isObject()) {
            throw ApiError.badRequest("text", "'text' must be an object like {\"format\": {\"type\": \"text\"}}");
        }
        JsonNode format = text.get("format");
        if (format == null || format.isNull()) {
            return;
        }
        String type = format.path("type").asText("");
        switch (type) {
            case "text", "json_object" -> { }
            case "json_schema" -> {
                if (!format.path("name").isTextual() || !format.path("schema").isObject()) {
                    throw ApiError.badRequest("text.format", "'text.format' of type json_schema needs a 'name' and a 'schema' object");
                }
            }
            default -> throw ApiError.badRequest("text.format.type", "'text.format.type' must be \"text\", \"json_object\" or \"json_schema\"");
        }
    }

    private static void reasoning(JsonNode reasoning) {
        if (reasoning == null || reasoning.isNull()) {
            return;
        }
        if (!reasoning.isObject()) {
            throw ApiError.badRequest("reasoning", "'reasoning' must be an object like {\"effort\": \"low\"}");
        }
        JsonNode effort = reasoning.get("effort");
        if (effort != null && !effort.isNull() && (!effort.isTextual() || !EFFORTS.contains(effort.textValue()))) {
            throw ApiError.badRequest("reasoning.effort", "'reasoning.effort' must be minimal, low, medium or high");
        }
    }
}
