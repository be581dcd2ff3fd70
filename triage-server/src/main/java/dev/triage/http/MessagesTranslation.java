package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * An Anthropic Messages request ({@code POST /v1/messages}) read into the gateway's chat request, so that it
 * takes the same path as {@code /v1/chat/completions}. Every refusal is an {@link ApiError} naming the
 * Anthropic field. A client's {@code cache_control} marks are kept on the parts, tools and tool results
 * they were on, where the Anthropic provider finds them again.
 */
final class MessagesTranslation {

    /** Anthropic's own limit is higher; OpenAI's {@code stop} takes four, and any model may answer. */
    static final int MAX_STOP_SEQUENCES = 4;
    /**
     * Where a chat assistant message carries Anthropic's signed thinking blocks: the Anthropic provider sends them
     * back, the OpenAI provider leaves them out, Gemini never reads them.
     */
    static final String THINKING_BLOCKS = "thinking_blocks";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> REDIRECTING = Set.of("api_base", "base_url", "api_key", "api_version",
            "custom_llm_provider", "organization", "azure_endpoint", "extra_headers");

    private MessagesTranslation() {
    }

    /**
     * The chat request body for a Messages request.
     *
     * @param needsMaxTokens true for {@code /v1/messages} (Anthropic requires {@code max_tokens}); false for
     *                       {@code count_tokens}, which takes none
     */
    static ObjectNode toChat(ObjectNode in, boolean needsMaxTokens) {
        for (String field : REDIRECTING) {
            if (in.has(field)) {
                throw ApiError.badRequest("unsupported_parameter", field,
                        "'" + field + "' is not accepted: Triage decides where requests go and which credentials they use");
            }
        }
        if (in.hasNonNull("mcp_servers")) {
            throw ApiError.badRequest("mcp_servers", "mcp_servers: Anthropic's MCP connector is not supported by Triage; "
                    + "any model may answer, so the client runs its MCP tools itself");
        }
        ObjectNode out = NODES.objectNode();
        JsonNode model = in.get("model");
        if (model == null || !model.isTextual() || model.textValue().isBlank()) {
            throw ApiError.badRequest("model", "model: Field required (a non-empty string: a Triage route or model)");
        }
        out.set("model", model);
        JsonNode maxTokens = in.get("max_tokens");
        if (maxTokens == null || maxTokens.isNull()) {
            if (needsMaxTokens) {
                throw ApiError.badRequest("max_tokens", "max_tokens: Field required");
            }
        } else if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.intValue() < 1) {
            throw ApiError.badRequest("max_tokens", "max_tokens: must be an integer between 1 and 2147483647");
        } else {
            out.put("max_tokens", maxTokens.intValue());
        }
        ArrayNode messages = out.putArray("messages");
        system(in.get("system"), messages);
        turns(in.get("messages"), messages);
        stream(in, out);
        number(in, "temperature", 0, 1, out);
        number(in, "top_p", 0, 1, out);
        JsonNode topK = in.get("top_k");
        if (topK != null && !topK.isNull() && (!topK.isIntegralNumber() || topK.asLong() < 0)) {
            throw ApiError.badRequest("top_k", "top_k: must be a non-negative integer");
        }
        stopSequences(in.get("stop_sequences"), out);
        JsonNode tools = in.get("tools");
        tools(tools, out);
        toolChoice(in.get("tool_choice"), out, tools != null && tools.isArray() && !tools.isEmpty());
        metadata(in.get("metadata"), out);
        thinking(in.get("thinking"), maxTokens, out);
        return out;
    }

    private static void stream(ObjectNode in, ObjectNode out) {
        JsonNode stream = in.get("stream");
        if (stream == null || stream.isNull()) {
            return;
        }
        if (!stream.isBoolean()) {
            throw ApiError.badRequest("stream", "stream: must be a boolean");
        }
        if (stream.booleanValue()) {
            out.put("stream", true);
        }
    }

    private static void number(ObjectNode in, String field, double min, double max, ObjectNode out) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw ApiError.badRequest(field, field + ": must be a number between " + (int) min + " and " + (int) max);
        }
        out.set(field, n);
    }

    /** {@code system}: a string, or text blocks (kept as parts, with their marks). */
    private static void system(JsonNode system, ArrayNode messages) {
        if (system == null || system.isNull()) {
            return;
        }
        ObjectNode message = NODES.objectNode().put("role", "system");
        if (system.isTextual()) {
            if (system.textValue().isEmpty()) {
                return;
            }
            message.set("content", system);
        } else if (system.isArray()) {
            ArrayNode parts = NODES.arrayNode();
            for (int i = 0; i < system.size(); i++) {
                JsonNode block = system.get(i);
                if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                    throw ApiError.badRequest("system[" + i + "]", "system[" + i + "]: must be a text block {\"type\": \"text\", \"text\": ...}");
                }
                parts.add(textPart(block));
            }
            if (parts.isEmpty()) {
                return;
            }
            message.set("content", parts);
        } else {
            throw ApiError.badRequest("system", "system: must be a string or an array of text blocks");
        }
        messages.add(message);
    }

    private static void turns(JsonNode turns, ArrayNode out) {
        if (turns == null || turns.isNull()) {
            throw ApiError.badRequest("messages", "messages: Field required");
        }
        if (!turns.isArray() || turns.isEmpty()) {
            throw ApiError.badRequest("messages", "messages: must be a non-empty array of {role, content} objects");
        }
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = turns.get(i);
            String at = "messages[" + i + "]";
            if (!turn.isObject()) {
                throw ApiError.badRequest(at, at + ": must be an object with 'role' and 'content'");
            }
            String role = turn.path("role").asText("");
            JsonNode content = turn.get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                throw ApiError.badRequest(at + ".content", at + ".content: must be a string or an array of content blocks");
            }
            switch (role) {
                case "user" -> user(content, at, out);
                case "assistant" -> assistant(content, at, out);
                default -> throw ApiError.badRequest(at + ".role", at + ".role: must be \"user\" or \"assistant\"");
            }
        }
    }

    /** A user turn: its tool results become tool messages (first, as the chat format wants them after the call), the rest one user message. */
    private static void user(JsonNode content, String at, ArrayNode out) {
        if (content.isTextual()) {
            out.addObject().put("role", "user").set("content", content);
            return;
        }
        ArrayNode parts = NODES.arrayNode();
        for (int b = 0; b < content.size(); b++) {
            JsonNode block = content.get(b);
            String where = at + ".content[" + b + "]";
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> parts.add(textPart(requireText(block, where)));
                case "image" -> parts.add(imagePart(block, where));
                case "tool_result" -> out.add(toolMessage(block, where));
                default -> throw unsupportedBlock(type, where);
            }
        }
        if (!parts.isEmpty()) {
            out.addObject().put("role", "user").set("content", parts);
        }
    }

    /** An assistant turn: text as content, {@code tool_use} as tool calls, signed thinking blocks as {@link #THINKING_BLOCKS}. */
    private static void assistant(JsonNode content, String at, ArrayNode out) {
        if (content.isTextual()) {
            out.addObject().put("role", "assistant").set("content", content);
            return;
        }
        ArrayNode parts = NODES.arrayNode();
        ArrayNode calls = NODES.arrayNode();
        ArrayNode thinking = NODES.arrayNode();
        boolean marked = false;
        for (int b = 0; b < content.size(); b++) {
            JsonNode block = content.get(b);
            String where = at + ".content[" + b + "]";
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> {
                    parts.add(textPart(requireText(block, where)));
                    marked |= block.has("cache_control");
                }
                case "tool_use" -> calls.add(toolCall(block, where));
                case "thinking" -> {
                    // kept only when signed: Anthropic checks the signature, and wants the block back in a tool-use loop
                    if (block.path("signature").isTextual() && !block.get("signature").textValue().isEmpty()) {
                        thinking.addObject().put("type", "thinking").put("thinking", block.path("thinking").asText())
                                .put("signature", block.get("signature").textValue());
                    }
                }
                case "redacted_thinking" -> {
                    if (block.path("data").isTextual()) {
                        thinking.addObject().put("type", "redacted_thinking").put("data", block.get("data").textValue());
                    }
                }
                default -> throw unsupportedBlock(type, where);
            }
        }
        ObjectNode message = out.addObject().put("role", "assistant");
        if (marked) {
            message.set("content", parts);
        } else {
            StringBuilder text = new StringBuilder();
            parts.forEach(p -> text.append(p.path("text").asText()));
            if (!text.isEmpty() || calls.isEmpty()) {
                message.put("content", text.toString());
            } else {
                message.putNull("content");
            }
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        if (!thinking.isEmpty()) {
            message.set(THINKING_BLOCKS, thinking);
        }
    }

    private static JsonNode requireText(JsonNode block, String where) {
        if (!block.path("text").isTextual()) {
            throw ApiError.badRequest(where + ".text", where + ".text: Field required (a string)");
        }
        return block;
    }

    private static ObjectNode textPart(JsonNode block) {
        ObjectNode part = NODES.objectNode();
        part.put("type", "text");
        part.put("text", block.path("text").asText());
        return keepMark(block, part);
    }

    private static ObjectNode keepMark(JsonNode from, ObjectNode to) {
        JsonNode mark = from.get("cache_control");
        if (mark != null && mark.isObject()) {
            to.set("cache_control", mark);
        }
        return to;
    }

    /** An image block (base64 or URL source) as a chat {@code image_url} part. */
    private static ObjectNode imagePart(JsonNode block, String where) {
        JsonNode source = block.path("source");
        String url = switch (source.path("type").asText("")) {
            case "base64" -> {
                if (!source.path("media_type").isTextual() || !source.path("data").isTextual()) {
                    throw ApiError.badRequest(where + ".source", where + ".source: a base64 image needs 'media_type' and 'data'");
                }
                yield "data:" + source.get("media_type").textValue() + ";base64," + source.get("data").textValue();
            }
            case "url" -> {
                if (!source.path("url").isTextual()) {
                    throw ApiError.badRequest(where + ".source.url", where + ".source.url: Field required");
                }
                yield source.get("url").textValue();
            }
            default -> throw ApiError.badRequest(where + ".source.type", where
                    + ".source.type: must be \"base64\" or \"url\" (Files API sources are not supported)");
        };
        ObjectNode part = NODES.objectNode();
        part.put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return keepMark(block, part);
    }

    private static ObjectNode toolCall(JsonNode block, String where) {
        if (!block.path("id").isTextual() || !block.path("name").isTextual()) {
            throw ApiError.badRequest(where, where + ": a tool_use block needs 'id' and 'name'");
        }
        JsonNode input = block.get("input");
        if (input != null && !input.isNull() && !input.isObject()) {
            throw ApiError.badRequest(where + ".input", where + ".input: must be an object");
        }
        ObjectNode call = NODES.objectNode();
        call.set("id", block.get("id"));
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.set("name", block.get("name"));
        function.put("arguments", input == null || input.isNull() ? "{}" : input.toString());
        return call;
    }

    /**
     * A {@code tool_result} block as a tool message. A mark on the block goes to its last part (the
     * Anthropic provider puts the parts back inside a {@code tool_result}, where the breakpoint falls at the same place).
     */
    private static ObjectNode toolMessage(JsonNode block, String where) {
        if (!block.path("tool_use_id").isTextual()) {
            throw ApiError.badRequest(where + ".tool_use_id", where + ".tool_use_id: Field required");
        }
        boolean error = block.path("is_error").asBoolean(false);
        JsonNode content = block.get("content");
        ArrayNode parts = NODES.arrayNode();
        if (content == null || content.isNull()) {
            parts.add(NODES.objectNode().put("type", "text").put("text", ""));
        } else if (content.isTextual()) {
            parts.add(NODES.objectNode().put("type", "text").put("text", content.textValue()));
        } else if (content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                JsonNode part = content.get(p);
                String at = where + ".content[" + p + "]";
                switch (part.path("type").asText("")) {
                    case "text" -> parts.add(textPart(requireText(part, at)));
                    case "image" -> parts.add(imagePart(part, at));
                    default -> throw unsupportedBlock(part.path("type").asText(""), at);
                }
            }
        } else {
            throw ApiError.badRequest(where + ".content", where + ".content: must be a string or an array of text and image blocks");
        }
        if (error) {
            // the chat format has no error flag on a tool result: the model reads it in the text
            parts.insert(0, NODES.objectNode().put("type", "text").put("text", "Error: "));
        }
        if (block.has("cache_control") && !parts.isEmpty()) {
            keepMark(block, (ObjectNode) parts.get(parts.size() - 1));
        }
        ObjectNode message = NODES.objectNode();
        message.put("role", "tool");
        message.set("tool_call_id", block.get("tool_use_id"));
        if (parts.size() == 1 && "text".equals(parts.get(0).path("type").asText()) && !parts.get(0).has("cache_control")) {
            message.set("content", parts.get(0).get("text"));
        } else {
            message.set("content", parts);
        }
        return message;
    }

    private static ApiError unsupportedBlock(String type, String where) {
        return ApiError.badRequest(where + ".type", where + ".type: content blocks of type '" + type
                + "' are not supported by Triage's /v1/messages (text, image, tool_use, tool_result and thinking are)");
    }

    private static void stopSequences(JsonNode stops, ObjectNode out) {
        if (stops == null || stops.isNull()) {
            return;
        }
        if (!stops.isArray()) {
            throw ApiError.badRequest("stop_sequences", "stop_sequences: must be an array of strings");
        }
        if (stops.size() > MAX_STOP_SEQUENCES) {
            throw ApiError.badRequest("stop_sequences", "stop_sequences: at most " + MAX_STOP_SEQUENCES
                    + " through Triage (any model may answer, and OpenAI's take four)");
        }
        for (JsonNode s : stops) {
            if (!s.isTextual()) {
                throw ApiError.badRequest("stop_sequences", "stop_sequences: must be an array of strings");
            }
        }
        if (!stops.isEmpty()) {
            out.set("stop", stops);
        }
    }

    /** Custom tools ({@code name}, {@code description}, {@code input_schema}) as function tools; Anthropic's server tools cannot be served by every model. */
    private static void tools(JsonNode tools, ObjectNode out) {
        if (tools == null || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw ApiError.badRequest("tools", "tools: must be an array of tool definitions");
        }
        ArrayNode functions = NODES.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            String type = tool.path("type").asText("custom");
            if (!"custom".equals(type)) {
                throw ApiError.badRequest(at + ".type", at + ".type: Anthropic server tools ('" + type
                        + "') are not supported by Triage; define the tool with name, description and input_schema");
            }
            if (!tool.path("name").isTextual()) {
                throw ApiError.badRequest(at + ".name", at + ".name: Field required");
            }
            if (!tool.path("input_schema").isObject()) {
                throw ApiError.badRequest(at + ".input_schema", at + ".input_schema: Field required (a JSON Schema object)");
            }
            ObjectNode f = NODES.objectNode();
            f.put("type", "function");
            ObjectNode function = f.putObject("function");
            function.set("name", tool.get("name"));
            if (tool.path("description").isTextual()) {
                function.set("description", tool.get("description"));
            }
            function.set("parameters", tool.get("input_schema"));
            functions.add(keepMark(tool, f));
        }
        if (!functions.isEmpty()) {
            out.set("tools", functions);
        }
    }

    private static void toolChoice(JsonNode choice, ObjectNode out, boolean hasTools) {
        if (choice == null || choice.isNull()) {
            return;
        }
        if (!choice.isObject()) {
            throw ApiError.badRequest("tool_choice", "tool_choice: must be an object with a 'type'");
        }
        switch (choice.path("type").asText("")) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> {
                if (!choice.path("name").isTextual()) {
                    throw ApiError.badRequest("tool_choice.name", "tool_choice.name: Field required for type \"tool\"");
                }
                ObjectNode named = out.putObject("tool_choice");
                named.put("type", "function");
                named.putObject("function").set("name", choice.get("name"));
            }
            default -> throw ApiError.badRequest("tool_choice.type", "tool_choice.type: must be \"auto\", \"any\", \"tool\" or \"none\"");
        }
        if (!hasTools && !"none".equals(choice.path("type").asText())) {
            throw ApiError.badRequest("tool_choice", "tool_choice: given without tools");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false) && hasTools) {
            out.put("parallel_tool_calls", false);
        }
    }

    private static void metadata(JsonNode metadata, ObjectNode out) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        if (!metadata.isObject()) {
            throw ApiError.badRequest("metadata", "metadata: must be an object");
        }
        JsonNode user = metadata.get("user_id");
        if (user != null && !user.isNull()) {
            if (!user.isTextual()) {
                throw ApiError.badRequest("metadata.user_id", "metadata.user_id: must be a string");
            }
            out.set("user", user);
        }
    }

    /**
     * Extended thinking as the gateway's {@code reasoning_effort}, which every provider translates: budgets below
     * 4,096 tokens are {@code low} (1,024 on Anthropic), below 16,384 {@code medium} (4,096), else {@code high} (16,384).
     */
    private static void thinking(JsonNode thinking, JsonNode maxTokens, ObjectNode out) {
        if (thinking == null || thinking.isNull()) {
            return;
        }
        switch (thinking.path("type").asText("")) {
            case "disabled" -> { }
            case "adaptive" -> out.put("reasoning_effort", "medium");
            case "enabled" -> {
                JsonNode budget = thinking.get("budget_tokens");
                if (budget == null || !budget.isIntegralNumber() || !budget.canConvertToInt() || budget.intValue() < 1024) {
                    throw ApiError.badRequest("thinking.budget_tokens", "thinking.budget_tokens: must be an integer of at least 1024");
                }
                if (maxTokens != null && maxTokens.isIntegralNumber() && budget.intValue() >= maxTokens.asLong()) {
                    throw ApiError.badRequest("thinking.budget_tokens", "thinking.budget_tokens: must be less than max_tokens");
                }
                int b = budget.intValue();
                out.put("reasoning_effort", b < 4096 ? "low" : b < 16384 ? "medium" : "high");
            }
            default -> throw ApiError.badRequest("thinking.type", "thinking.type: must be \"enabled\", \"disabled\" or \"adaptive\"");
        }
    }
}
