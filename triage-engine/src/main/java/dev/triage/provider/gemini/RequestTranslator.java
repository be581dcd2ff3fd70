package dev.triage.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Turns the canonical OpenAI Chat Completions request into a Gemini {@code GenerateContentRequest} body. */
final class RequestTranslator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestTranslator() {
    }

    /** Thrown for a request Gemini cannot express; the provider reports it as a bad request naming {@code param}. */
    static final class UntranslatableRequest extends RuntimeException {
        private final String param;

        UntranslatableRequest(String param, String message) {
            super(message, null, false, false);
            this.param = param;
        }

        String param() {
            return param;
        }
    }

    static ObjectNode translate(ChatRequest request) {
        ObjectNode body = request.body();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode contents = out.putArray("contents");
        ArrayNode systemParts = JSON.createArrayNode();
        // Gemini names a function response by the function's name; OpenAI refers to the call's id.
        Map<String, String> functionNameByCallId = new HashMap<>();

        for (JsonNode message : request.messages()) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> textParts(message.get("content"), role, systemParts);
                case "user" -> append(contents, "user", userParts(message.get("content")));
                case "assistant" -> append(contents, "model", assistantParts(message, functionNameByCallId));
                case "tool" -> append(contents, "user", toolResult(message, functionNameByCallId));
                case "function" -> append(contents, "user", functionResult(message));
                default -> throw new UntranslatableRequest("messages", "unsupported message role '" + role + "'");
            }
        }
        if (!systemParts.isEmpty()) {
            out.putObject("systemInstruction").set("parts", systemParts);
        }
        ArrayNode declarations = functionDeclarations(body.get("tools"));
        if (declarations != null) {
            out.putArray("tools").addObject().set("functionDeclarations", declarations);
            ObjectNode calling = functionCallingConfig(body.get("tool_choice"));
            if (calling != null) {
                out.putObject("toolConfig").set("functionCallingConfig", calling);
            }
        }
        ObjectNode generation = generationConfig(request);
        if (!generation.isEmpty()) {
            out.set("generationConfig", generation);
        }
        return out;
    }

    /** Adds a turn, merging it into the previous one when the role repeats (Gemini wants alternating turns). */
    private static void append(ArrayNode contents, String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("parts")).addAll(parts);
            return;
        }
        ObjectNode content = contents.addObject();
        content.put("role", role);
        content.set("parts", parts);
    }

    private static void textParts(JsonNode content, String role, ArrayNode into) {
        if (!present(content)) {
            return;
        }
        if (content.isTextual()) {
            addText(into, content.asText());
            return;
        }
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (!type.equals("text")) {
                throw new UntranslatableRequest("messages", "a " + role + " message may only hold text parts, not '" + type + "'");
            }
            addText(into, part.path("text").asText());
        }
    }

    // Gemini rejects empty text parts, so they are left out.
    private static void addText(ArrayNode into, String text) {
        if (!text.isEmpty()) {
            into.addObject().put("text", text);
        }
    }

    private static ArrayNode userParts(JsonNode content) {
        ArrayNode parts = JSON.createArrayNode();
        if (!present(content)) {
            return parts;
        }
        if (content.isTextual()) {
            addText(parts, content.asText());
            return parts;
        }
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            switch (type) {
                case "text" -> addText(parts, part.path("text").asText());
                case "image_url" -> {
                    JsonNode image = part.get("image_url");
                    String url = image != null && image.isTextual() ? image.asText() : part.path("image_url").path("url").asText();
                    parts.add(media(url));
                }
                case "input_audio" -> {
                    JsonNode audio = part.path("input_audio");
                    ObjectNode inline = parts.addObject().putObject("inlineData");
                    inline.put("mimeType", "audio/" + audio.path("format").asText("wav"));
                    inline.put("data", audio.path("data").asText());
                }
                case "file" -> {
                    String data = part.path("file").path("file_data").asText("");
                    if (!data.startsWith("data:")) {
                        throw new UntranslatableRequest("messages", "file parts must carry their data inline (file_data)");
                    }
                    parts.add(media(data));
                }
                default -> throw new UntranslatableRequest("messages", "unsupported content part type '" + type + "'");
            }
        }
        return parts;
    }

    /** A {@code data:} URL becomes inline bytes; any other URL is passed by reference. */
    private static ObjectNode media(String url) {
        ObjectNode part = JSON.createObjectNode();
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (!header.endsWith(";base64")) {
                throw new UntranslatableRequest("messages", "data URLs must be base64-encoded");
            }
            String mime = header.substring(0, header.length() - ";base64".length());
            ObjectNode inline = part.putObject("inlineData");
            inline.put("mimeType", mime.isEmpty() ? "image/jpeg" : mime);
            inline.put("data", url.substring(comma + 1));
        } else {
            ObjectNode file = part.putObject("fileData");
            file.put("mimeType", mimeFromExtension(url));
            file.put("fileUri", url);
        }
        return part;
    }

    private static String mimeFromExtension(String url) {
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int dot = path.lastIndexOf('.');
        String ext = dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "heic" -> "image/heic";
            case "heif" -> "image/heif";
            case "pdf" -> "application/pdf";
            default -> "image/jpeg";
        };
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static ArrayNode assistantParts(JsonNode message, Map<String, String> functionNameByCallId) {
        ArrayNode parts = JSON.createArrayNode();
        JsonNode content = message.get("content");
        if (present(content)) {
            if (content.isTextual()) {
                addText(parts, content.asText());
            } else {
                for (JsonNode part : content) {
                    String type = part.path("type").asText();
                    switch (type) {
                        case "text" -> addText(parts, part.path("text").asText());
                        case "refusal" -> addText(parts, part.path("refusal").asText());
                        default -> throw new UntranslatableRequest("messages", "unsupported assistant content part type '" + type + "'");
                    }
                }
            }
        }
        JsonNode toolCalls = message.get("tool_calls");
        if (present(toolCalls)) {
            for (JsonNode call : toolCalls) {
                String name = call.path("function").path("name").asText();
                functionNameByCallId.put(call.path("id").asText(), name);
                ObjectNode functionCall = parts.addObject().putObject("functionCall");
                functionCall.put("name", name);
                functionCall.set("args", arguments(call.path("function").path("arguments").asText(""), name));
            }
        }
        return parts;
    }

    private static ObjectNode arguments(String json, String function) {
        if (json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(json);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException ignored) {
            // reported below
        }
        throw new UntranslatableRequest("messages", "the arguments of the call to '" + function + "' are not a JSON object");
    }

    private static ArrayNode toolResult(JsonNode message, Map<String, String> functionNameByCallId) {
        String callId = message.path("tool_call_id").asText();
        String name = functionNameByCallId.get(callId);
        if (name == null) {
            name = message.path("name").asText("");
        }
        if (name.isEmpty()) {
            throw new UntranslatableRequest("messages", "tool message answers unknown tool_call_id '" + callId + "'");
        }
        return functionResponse(name, joinedText(message.get("content")));
    }

    /** The legacy {@code function} role names its function directly. */
    private static ArrayNode functionResult(JsonNode message) {
        return functionResponse(message.path("name").asText(), joinedText(message.get("content")));
    }

    private static ArrayNode functionResponse(String name, String text) {
        ArrayNode parts = JSON.createArrayNode();
        ObjectNode response = parts.addObject().putObject("functionResponse");
        response.put("name", name);
        response.set("response", responseObject(text));
        return parts;
    }

    // Gemini wants a JSON object (a protobuf Struct) as the response; anything else is wrapped.
    private static ObjectNode responseObject(String text) {
        try {
            if (JSON.readTree(text) instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException notJson) {
            // wrapped below
        }
        ObjectNode wrapped = JSON.createObjectNode();
        wrapped.put("content", text);
        return wrapped;
    }

    private static String joinedText(JsonNode content) {
        if (!present(content)) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static ArrayNode functionDeclarations(JsonNode tools) {
        if (!present(tools) || tools.isEmpty()) {
            return null;
        }
        ArrayNode declarations = JSON.createArrayNode();
        for (JsonNode tool : tools) {
            String type = tool.path("type").asText("function");
            if (!type.equals("function")) {
                throw new UntranslatableRequest("tools", "unsupported tool type '" + type + "'");
            }
            JsonNode function = tool.path("function");
            ObjectNode declaration = declarations.addObject();
            declaration.put("name", function.path("name").asText());
            if (present(function.get("description"))) {
                declaration.put("description", function.get("description").asText());
            }
            // parametersJsonSchema takes OpenAI's JSON Schema as is; the older `parameters` field is an
            // OpenAPI subset that rejects common keywords such as additionalProperties.
            if (present(function.get("parameters"))) {
                declaration.set("parametersJsonSchema", function.get("parameters").deepCopy());
            }
        }
        return declarations;
    }

    private static ObjectNode functionCallingConfig(JsonNode toolChoice) {
        if (!present(toolChoice)) {
            return null;
        }
        ObjectNode config = JSON.createObjectNode();
        if (toolChoice.isTextual()) {
            config.put("mode", switch (toolChoice.asText()) {
                case "auto" -> "AUTO";
                case "none" -> "NONE";
                case "required" -> "ANY";
                default -> throw new UntranslatableRequest("tool_choice", "unsupported tool_choice '" + toolChoice.asText() + "'");
            });
            return config;
        }
        String name = toolChoice.path("function").path("name").asText("");
        if (name.isEmpty()) {
            throw new UntranslatableRequest("tool_choice", "tool_choice must be auto, none, required or name a function");
        }
        config.put("mode", "ANY");
        config.putArray("allowedFunctionNames").add(name);
        return config;
    }

    private static ObjectNode generationConfig(ChatRequest request) {
        ObjectNode body = request.body();
        ObjectNode config = JSON.createObjectNode();
        copy(body, "temperature", config, "temperature");
        copy(body, "top_p", config, "topP");
        Integer maxTokens = request.maxOutputTokens();
        if (maxTokens != null) {
            config.put("maxOutputTokens", maxTokens);
        }
        JsonNode stop = body.get("stop");
        if (present(stop)) {
            ArrayNode sequences = config.putArray("stopSequences");
            if (stop.isTextual()) {
                sequences.add(stop.asText());
            } else {
                stop.forEach(s -> sequences.add(s.asText()));
            }
        }
        copy(body, "n", config, "candidateCount");
        copy(body, "seed", config, "seed");
        copy(body, "presence_penalty", config, "presencePenalty");
        copy(body, "frequency_penalty", config, "frequencyPenalty");
        JsonNode format = body.get("response_format");
        if (present(format)) {
            switch (format.path("type").asText()) {
                case "json_object" -> config.put("responseMimeType", "application/json");
                case "json_schema" -> {
                    config.put("responseMimeType", "application/json");
                    JsonNode schema = format.path("json_schema").get("schema");
                    if (present(schema)) {
                        config.set("responseJsonSchema", schema.deepCopy());
                    }
                }
                default -> {
                    // "text" is Gemini's default
                }
            }
        }
        if (body.path("logprobs").asBoolean(false)) {
            config.put("responseLogprobs", true);
            copy(body, "top_logprobs", config, "logprobs");
        }
        JsonNode effort = body.get("reasoning_effort");
        if (present(effort)) {
            Integer budget = switch (effort.asText()) {
                case "low" -> 1024;
                case "medium" -> 8192;
                case "high" -> 24576;
                default -> null;
            };
            if (budget != null) {
                config.putObject("thinkingConfig").put("thinkingBudget", budget);
            }
        }
        return config;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (present(value)) {
            to.set(as, value.deepCopy());
        }
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
