package dev.triage.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the body of {@code POST /v1/messages} from a canonical (OpenAI Chat Completions) request.
 *
 * <p>Where the two APIs differ:
 * <ul>
 *   <li>System and developer messages, wherever they appear, become the top-level {@code system}
 *       string, joined by blank lines.</li>
 *   <li>Tool results ({@code role: tool}) become {@code tool_result} blocks of a user turn, and
 *       consecutive turns of the same role are merged, because Anthropic expects turns to alternate.</li>
 *   <li>{@code response_format} has no Anthropic field: a JSON-only instruction (with the schema, if
 *       one was given) is appended to the system prompt. The answer is not validated.</li>
 *   <li>{@code reasoning_effort} becomes extended thinking with a token budget. OpenAI counts
 *       reasoning inside {@code max_completion_tokens}, and so does Anthropic inside {@code max_tokens};
 *       an explicit limit is kept and the budget shrunk to half of it if needed (dropped below
 *       Anthropic's 1024-token minimum); without one, the budget is added on top of the default.
 *       {@code temperature} and {@code top_p} are dropped then, as thinking rejects them.</li>
 *   <li>{@code temperature} above 1 (OpenAI allows up to 2) is capped at 1, Anthropic's maximum.</li>
 *   <li>{@code n > 1} and {@code logprobs} cannot be served and are refused; {@code seed},
 *       penalties and {@code logit_bias} are ignored.</li>
 * </ul>
 */
final class MessagesRequest {

    static final int MIN_THINKING_BUDGET = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessagesRequest() {
    }

    static ObjectNode from(ChatRequest request, String upstreamModel, int defaultMaxTokens, boolean stream) {
        ObjectNode in = request.body();
        refuseUnsupported(in);

        ObjectNode out = NODES.objectNode();
        out.put("model", upstreamModel);

        Integer explicitLimit = request.maxOutputTokens();
        Integer budget = thinkingBudget(in.get("reasoning_effort"));
        int maxTokens = explicitLimit != null ? explicitLimit : defaultMaxTokens;
        if (budget != null) {
            if (explicitLimit == null) {
                maxTokens = defaultMaxTokens + budget;
            } else if (budget >= explicitLimit) {
                budget = explicitLimit / 2;
            }
            if (budget < MIN_THINKING_BUDGET) {
                budget = null;
            }
        }
        out.put("max_tokens", maxTokens);

        List<String> system = new ArrayList<>();
        ArrayNode systemBlocks = NODES.arrayNode();
        ArrayNode messages = NODES.arrayNode();
        for (JsonNode message : request.messages()) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> {
                    system.add(text(message.get("content"), role));
                    systemBlocks.addAll(systemParts(message.get("content")));
                }
                case "user" -> append(messages, "user", userContent(message.get("content")));
                case "assistant" -> append(messages, "assistant", assistantContent(message));
                case "tool" -> append(messages, "user", toolResult(message));
                default -> throw refused("messages", "messages with role '" + role + "'");
            }
        }
        String jsonInstruction = jsonInstruction(in.get("response_format"));
        if (jsonInstruction != null) {
            system.add(jsonInstruction);
            systemBlocks.add(textBlock(jsonInstruction));
        }
        if (PromptCaching.countMarks(systemBlocks) > 0) {
            out.set("system", systemBlocks); // the client marked part of it for the cache: keep its parts
        } else if (!system.isEmpty()) {
            out.put("system", String.join("\n\n", system));
        }
        out.set("messages", messages);

        if (budget != null) {
            ObjectNode thinking = out.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget);
        } else {
            copyTemperature(in, out);
            copyIfPresent(in, "top_p", out, "top_p");
        }
        ArrayNode stops = stopSequences(in.get("stop"));
        if (stops != null) {
            out.set("stop_sequences", stops);
        }
        ArrayNode tools = tools(in.get("tools"));
        if (tools != null) {
            out.set("tools", tools);
        }
        ObjectNode toolChoice = toolChoice(in.get("tool_choice"), in.get("parallel_tool_calls"), tools != null);
        if (toolChoice != null) {
            out.set("tool_choice", toolChoice);
        }
        String user = request.user();
        if (user != null && !user.isEmpty()) {
            out.putObject("metadata").put("user_id", user);
        }
        if (stream) {
            out.put("stream", true);
        }
        PromptCaching.mark(out, request.cache(), upstreamModel);
        return out;
    }

    /** A system message's content as text blocks, keeping a client's {@code cache_control} marks. */
    private static ArrayNode systemParts(JsonNode content) {
        ArrayNode blocks = NODES.arrayNode();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(textBlock(content.asText()));
            }
            return blocks;
        }
        for (JsonNode part : content) {
            if (!part.path("text").asText().isEmpty()) {
                blocks.add(keepMark(part, textBlock(part.path("text").asText())));
            }
        }
        return blocks;
    }

    /** Copies a client's {@code cache_control} from an OpenAI-format part (or tool) to the block made of it. */
    private static ObjectNode keepMark(JsonNode from, ObjectNode to) {
        JsonNode mark = from.get("cache_control");
        if (mark != null && mark.isObject()) {
            to.set("cache_control", mark);
        }
        return to;
    }

    private static void refuseUnsupported(ObjectNode in) {
        JsonNode n = in.get("n");
        if (n != null && !n.isNull() && n.asInt(1) > 1) {
            throw refused("n", "n > 1 (several choices per request)");
        }
        if (in.path("logprobs").asBoolean(false)) {
            throw refused("logprobs", "logprobs");
        }
        if (in.hasNonNull("top_logprobs") && in.get("top_logprobs").asInt(0) > 0) {
            throw refused("top_logprobs", "logprobs (top_logprobs)");
        }
    }

    static ProviderException refused(String param, String what) {
        return ProviderException.refused(param, "anthropic does not support " + what);
    }

    private static Integer thinkingBudget(JsonNode effort) {
        if (effort == null || effort.isNull()) {
            return null;
        }
        return switch (effort.asText().toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "minimal", "low" -> 1024;
            case "medium" -> 4096;
            case "high", "xhigh" -> 16384;
            default -> throw ProviderException.refused("reasoning_effort",
                    "unknown reasoning_effort '" + effort.asText() + "' (expected low, medium or high)");
        };
    }

    private static void copyTemperature(ObjectNode in, ObjectNode out) {
        JsonNode t = in.get("temperature");
        if (t == null || t.isNull()) {
            return;
        }
        if (t.isNumber() && t.doubleValue() > 1.0) {
            out.put("temperature", 1.0);
        } else {
            out.set("temperature", t);
        }
    }

    private static void copyIfPresent(ObjectNode in, String from, ObjectNode out, String to) {
        JsonNode v = in.get(from);
        if (v != null && !v.isNull()) {
            out.set(to, v);
        }
    }

    /** Adds a turn, merging it into the previous one when both have the same role. */
    private static void append(ArrayNode messages, String role, JsonNode content) {
        if (!messages.isEmpty()) {
            ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
            if (last.path("role").asText().equals(role)) {
                ArrayNode merged = asBlocks(last.get("content"));
                merged.addAll(asBlocks(content));
                last.set("content", merged);
                return;
            }
        }
        ObjectNode message = messages.addObject();
        message.put("role", role);
        message.set("content", content);
    }

    private static ArrayNode asBlocks(JsonNode content) {
        if (content.isArray()) {
            return ((ArrayNode) content).deepCopy();
        }
        ArrayNode blocks = NODES.arrayNode();
        if (!content.asText().isEmpty()) {
            blocks.add(textBlock(content.asText()));
        }
        return blocks;
    }

    static ObjectNode textBlock(String text) {
        ObjectNode block = NODES.objectNode();
        block.put("type", "text");
        block.put("text", text);
        return block;
    }

    /** The text of a system/developer message, whose content may be a string or text parts. */
    private static String text(JsonNode content, String role) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText())) {
                throw refused("messages", "'" + part.path("type").asText() + "' content in " + role + " messages");
            }
            out.append(part.path("text").asText());
        }
        return out.toString();
    }

    private static JsonNode userContent(JsonNode content) {
        if (content == null || content.isNull()) {
            return NODES.textNode("");
        }
        if (content.isTextual()) {
            return content;
        }
        ArrayNode blocks = NODES.arrayNode();
        for (JsonNode part : content) {
            blocks.add(contentPart(part));
        }
        return blocks;
    }

    private static ObjectNode contentPart(JsonNode part) {
        String type = part.path("type").asText();
        return keepMark(part, switch (type) {
            case "text" -> textBlock(part.path("text").asText());
            case "image_url" -> imageBlock(part.path("image_url").path("url").asText());
            default -> throw refused("messages", "'" + type + "' content parts");
        });
    }

    private static ObjectNode imageBlock(String url) {
        ObjectNode block = NODES.objectNode();
        block.put("type", "image");
        ObjectNode source = block.putObject("source");
        if (url.startsWith("data:")) {
            // data:<media type>;base64,<data>
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (!header.endsWith(";base64")) {
                throw ProviderException.refused("messages", "image data URLs must be base64-encoded");
            }
            source.put("type", "base64");
            source.put("media_type", header.substring(0, header.length() - ";base64".length()));
            source.put("data", url.substring(comma + 1));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url");
            source.put("url", url);
        } else {
            throw ProviderException.refused("messages", "image_url must be an http(s) or data: URL");
        }
        return block;
    }

    private static JsonNode assistantContent(JsonNode message) {
        JsonNode content = message.get("content");
        JsonNode toolCalls = message.get("tool_calls");
        boolean hasToolCalls = toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
        if (!hasToolCalls && content != null && content.isTextual() && !message.path(MessagesResponse.THINKING_BLOCKS).isArray()) {
            return content;
        }
        ArrayNode blocks = NODES.arrayNode();
        // Thinking blocks go first, as Anthropic wrote them; it requires them in the last assistant turn of a tool-use loop.
        for (JsonNode block : message.path(MessagesResponse.THINKING_BLOCKS)) {
            String type = block.path("type").asText();
            if ("thinking".equals(type) && block.path("signature").isTextual() && !block.get("signature").asText().isEmpty()) {
                blocks.add(NODES.objectNode().put("type", "thinking").put("thinking", block.path("thinking").asText())
                        .put("signature", block.get("signature").asText()));
            } else if ("redacted_thinking".equals(type) && block.path("data").isTextual()) {
                blocks.add(NODES.objectNode().put("type", "redacted_thinking").put("data", block.get("data").asText()));
            }
        }
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            blocks.add(textBlock(content.asText()));
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if ("text".equals(type)) {
                    if (!part.path("text").asText().isEmpty()) {
                        blocks.add(keepMark(part, textBlock(part.path("text").asText())));
                    }
                } else if (!"refusal".equals(type)) {
                    throw refused("messages", "'" + type + "' content in assistant messages");
                }
            }
        }
        if (hasToolCalls) {
            for (JsonNode call : toolCalls) {
                ObjectNode block = blocks.addObject();
                block.put("type", "tool_use");
                block.put("id", call.path("id").asText());
                block.put("name", call.path("function").path("name").asText());
                block.set("input", toolInput(call.path("function").path("arguments")));
            }
        }
        return blocks;
    }

    /** Tool arguments arrive as a JSON string; Anthropic wants the object itself. */
    private static JsonNode toolInput(JsonNode arguments) {
        if (arguments.isObject()) {
            return arguments;
        }
        String text = arguments.asText("").trim();
        if (text.isEmpty()) {
            return NODES.objectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            if (!parsed.isObject()) {
                throw ProviderException.refused("messages", "tool call arguments must be a JSON object");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw ProviderException.refused("messages", "tool call arguments are not valid JSON");
        }
    }

    private static ArrayNode toolResult(JsonNode message) {
        ObjectNode block = NODES.objectNode();
        block.put("type", "tool_result");
        block.put("tool_use_id", message.path("tool_call_id").asText());
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            block.put("content", "");
        } else if (content.isTextual()) {
            block.set("content", content);
        } else {
            ArrayNode parts = block.putArray("content");
            for (JsonNode part : content) {
                parts.add(contentPart(part));
            }
        }
        ArrayNode blocks = NODES.arrayNode();
        blocks.add(block);
        return blocks;
    }

    private static String jsonInstruction(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        return switch (format.path("type").asText()) {
            case "json_object" -> "Respond only with a single valid JSON object, with no text before or after it.";
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema").path("schema");
                yield "Respond only with a single valid JSON value that conforms to this JSON Schema, "
                        + "with no text before or after it: " + schema;
            }
            default -> null;
        };
    }

    private static ArrayNode stopSequences(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return null;
        }
        ArrayNode out = NODES.arrayNode();
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else {
            stop.forEach(out::add);
        }
        return out.isEmpty() ? null : out;
    }

    private static ArrayNode tools(JsonNode tools) {
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return null;
        }
        ArrayNode out = NODES.arrayNode();
        for (JsonNode tool : tools) {
            if (!"function".equals(tool.path("type").asText("function"))) {
                throw refused("tools", "tools of type '" + tool.path("type").asText() + "'");
            }
            JsonNode function = tool.path("function");
            ObjectNode t = out.addObject();
            t.put("name", function.path("name").asText());
            if (function.hasNonNull("description")) {
                t.set("description", function.get("description"));
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && parameters.isObject()) {
                t.set("input_schema", parameters);
            } else {
                // OpenAI allows a function without parameters; Anthropic requires a schema.
                t.putObject("input_schema").put("type", "object").putObject("properties");
            }
            keepMark(tool, t);
        }
        return out;
    }

    private static ObjectNode toolChoice(JsonNode choice, JsonNode parallel, boolean hasTools) {
        if (!hasTools) {
            return null; // Anthropic rejects a tool_choice without tools; without tools there is nothing to choose
        }
        boolean serial = parallel != null && parallel.isBoolean() && !parallel.asBoolean();
        ObjectNode out = NODES.objectNode();
        if (choice == null || choice.isNull()) {
            if (!serial) {
                return null;
            }
            out.put("type", "auto");
        } else if (choice.isTextual()) {
            switch (choice.asText()) {
                case "auto" -> out.put("type", "auto");
                case "required" -> out.put("type", "any");
                case "none" -> out.put("type", "none");
                default -> throw ProviderException.refused("tool_choice",
                        "unknown tool_choice '" + choice.asText() + "'");
            }
        } else {
            out.put("type", "tool");
            out.put("name", choice.path("function").path("name").asText());
        }
        if (serial && !"none".equals(out.get("type").asText())) {
            out.put("disable_parallel_tool_use", true);
        }
        return out;
    }
}
