package dev.triage.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads and checks a chat request at the door, so that nothing malformed reaches routing, the
 * upstreams or the ledger. Every rejection is an {@link ApiError} with a message that names the field.
 */
public final class ChatRequestParser {

    static final int MAX_NESTING = 100;
    /** OpenAI refuses {@code n} above 128; so does Triage, for every provider, before any worst case is priced. */
    static final int MAX_CHOICES = 128;
    private static final int MAX_METADATA_PAIRS = 16;
    private static final int MAX_METADATA_KEY_CHARS = 64;
    private static final int MAX_METADATA_VALUE_CHARS = 512;
    private static final java.util.regex.Pattern TOOL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
    private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    // Fields some gateways accept to send a request elsewhere or with other credentials; Triage decides that.
    private static final Set<String> REDIRECTING = Set.of("api_base", "base_url", "api_key", "api_version",
            "custom_llm_provider", "organization", "azure_endpoint", "extra_headers");

    private final ObjectMapper json;
    public ChatRequestParser() {
        JsonMapper mapper = JsonMapper.builder().build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.json = mapper;
    }

    public ChatRequest parse(byte[] body) {
        return check(readObject(body, "a JSON chat completion request"));
    }

    /**
     * One JSON object, strictly: valid UTF-8, no duplicate keys, nesting bounded, nothing after it.
     *
     * @param expected what the body should be, for the message about an empty one
     */
    ObjectNode readObject(byte[] body, String expected) {
        if (body.length == 0) {
            throw ApiError.badRequest(null, "request body is empty; expected " + expected);
        }
        checkUtf8(body);
        JsonNode root;
        try (JsonParser p = json.createParser(body)) {
            root = json.readTree(p);
            // A second value, or anything but whitespace after the first, means the client sent something else
            // than it thinks: refuse it rather than execute the first half.
            if (root != null && hasMore(p)) {
                throw ApiError.badRequest(null, "request body has text after the JSON object; send exactly one JSON object");
            }
        } catch (StreamConstraintsException e) {
            throw ApiError.badRequest(null, "request JSON is nested deeper than " + MAX_NESTING + " levels");
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest(null, "request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest(null, "request body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Checks a chat request read by {@link #readObject} (or translated from another door's request). */
    ChatRequest check(ObjectNode obj) {
        for (String field : REDIRECTING) {
            if (obj.has(field)) {
                throw ApiError.badRequest("unsupported_parameter", field,
                        "'" + field + "' is not accepted: Triage decides where requests go and which credentials they use");
            }
        }
        JsonNode model = obj.get("model");
        if (model == null || model.isNull()) {
            throw ApiError.badRequest("model", "'model' is required");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiError.badRequest("model", "'model' must be a non-empty string");
        }
        ClientText.check("model", model.textValue(), ClientText.MAX_NAME_CHARS);
        checkMessages(obj.get("messages"));
        checkType(obj, "stream", JsonNode::isBoolean, "a boolean");
        checkStreamOptions(obj.get("stream_options"));
        checkTools(obj.get("tools"));
        checkToolChoice(obj.get("tool_choice"));
        checkType(obj, "parallel_tool_calls", JsonNode::isBoolean, "a boolean");
        checkResponseFormat(obj.get("response_format"));
        checkMetadata(obj.get("metadata"));
        checkType(obj, "user", JsonNode::isTextual, "a string");
        if (obj.path("user").isTextual()) {
            ClientText.check("user", obj.get("user").textValue(), ClientText.MAX_USER_CHARS);
        }
        checkType(obj, "seed", n -> n.isIntegralNumber() && n.canConvertToLong(), "an integer between -2^63 and 2^63-1");
        checkType(obj, "logprobs", JsonNode::isBoolean, "a boolean");
        checkType(obj, "stop", n -> n.isTextual() || n.isArray() && n.size() <= 4 && allText(n), "a string or an array of up to 4 strings");
        checkLogitBias(obj.get("logit_bias"));
        checkRange(obj, "temperature", 0, 2);
        checkRange(obj, "top_p", 0, 1);
        checkRange(obj, "presence_penalty", -2, 2);
        checkRange(obj, "frequency_penalty", -2, 2);
        checkInt(obj, "max_tokens", 1, Integer.MAX_VALUE);
        checkInt(obj, "max_completion_tokens", 1, Integer.MAX_VALUE);
        checkInt(obj, "n", 1, MAX_CHOICES);
        checkInt(obj, "best_of", 1, MAX_CHOICES);
        checkInt(obj, "top_logprobs", 0, 20);
        return new ChatRequest(obj);
    }

    private static boolean hasMore(JsonParser p) throws IOException {
        try {
            return p.nextToken() != null;
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    private static void checkMessages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiError.badRequest("messages", "'messages' is required");
        }
        if (!messages.isArray()) {
            throw ApiError.badRequest("messages", "'messages' must be an array of message objects");
        }
        if (messages.isEmpty()) {
            throw ApiError.badRequest("messages", "'messages' must contain at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiError.badRequest(at, "'" + at + "' must be an object");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiError.badRequest(at + ".role", "'" + at + ".role' must be one of system, developer, user, assistant, tool");
            }
            JsonNode content = m.get("content");
            boolean hasToolCalls = m.has("tool_calls") && m.get("tool_calls").isArray();
            if (content == null || content.isNull()) {
                if (!("assistant".equals(role.asText()) && hasToolCalls)) {
                    throw ApiError.badRequest(at + ".content", "'" + at + ".content' is required");
                }
            } else if (!content.isTextual() && !content.isArray()) {
                throw ApiError.badRequest(at + ".content", "'" + at + ".content' must be a string or an array of content parts");
            } else if (content.isArray()) {
                for (int p = 0; p < content.size(); p++) {
                    JsonNode part = content.get(p);
                    if (!part.isObject() || !part.path("type").isTextual()) {
                        throw ApiError.badRequest(at + ".content[" + p + "]", "'" + at + ".content[" + p + "]' must be an object with a 'type'");
                    }
                }
            }
            if ("tool".equals(role.asText()) && !m.path("tool_call_id").isTextual()) {
                throw ApiError.badRequest(at + ".tool_call_id", "'" + at + ".tool_call_id' is required for tool messages");
            }
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void checkType(ObjectNode obj, String field, java.util.function.Predicate<JsonNode> ok, String expected) {
        JsonNode n = obj.get(field);
        if (n != null && !n.isNull() && !ok.test(n)) {
            throw ApiError.badRequest(field, "'" + field + "' must be " + expected);
        }
    }

    private static void checkRange(ObjectNode obj, String field, double min, double max) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw ApiError.badRequest(field, "'" + field + "' must be a number between " + fmt(min) + " and " + fmt(max));
        }
    }

    /**
     * An integer in [min, max]. Jackson keeps integers beyond 64 bits as BigInteger, whose {@code asLong()} wraps
     * (18446744073709551617 would become 1), so the range is checked before any conversion.
     */
    private static void checkInt(ObjectNode obj, String field, long min, long max) {
        JsonNode n = obj.get(field);
        if (n != null && !n.isNull()
                && (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max)) {
            throw ApiError.badRequest(field, "'" + field + "' must be an integer between " + min + " and " + max);
        }
    }

    private static void checkStreamOptions(JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw ApiError.badRequest("stream_options", "'stream_options' must be an object");
        }
        JsonNode usage = n.get("include_usage");
        if (usage != null && !usage.isNull() && !usage.isBoolean()) {
            throw ApiError.badRequest("stream_options.include_usage", "'stream_options.include_usage' must be a boolean");
        }
    }

    /** Function tools (and OpenAI's custom tools) as the providers accept them; every schema is billed, so each must be real. */
    private static void checkTools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw ApiError.badRequest("tools", "'tools' must be an array of tool objects");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw ApiError.badRequest(at, "'" + at + "' must be an object like {\"type\": \"function\", \"function\": {\"name\": ...}}");
            }
            String type = tool.path("type").isTextual() ? tool.get("type").textValue() : null;
            if (!"function".equals(type) && !"custom".equals(type)) {
                throw ApiError.badRequest(at + ".type", "'" + at + ".type' must be \"function\" or \"custom\"");
            }
            JsonNode def = tool.get(type);
            if (def == null || !def.isObject()) {
                throw ApiError.badRequest(at + "." + type, "'" + at + "." + type + "' must be an object");
            }
            JsonNode name = def.get("name");
            if (name == null || !name.isTextual() || !TOOL_NAME.matcher(name.textValue()).matches()) {
                throw ApiError.badRequest(at + "." + type + ".name", "'" + at + "." + type
                        + ".name' must be 1 to 64 letters, digits, '_' or '-'");
            }
            JsonNode parameters = def.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw ApiError.badRequest(at + ".function.parameters", "'" + at + ".function.parameters' must be a JSON Schema object");
            }
        }
    }

    private static void checkToolChoice(JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        if (n.isTextual() && TOOL_CHOICES.contains(n.textValue())) {
            return;
        }
        if (n.isObject() && n.path("type").isTextual()) {
            return;
        }
        throw ApiError.badRequest("tool_choice", "'tool_choice' must be \"none\", \"auto\", \"required\" or an object with a 'type'");
    }

    private static void checkResponseFormat(JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isObject() || !n.path("type").isTextual() || !RESPONSE_FORMATS.contains(n.get("type").textValue())) {
            throw ApiError.badRequest("response_format",
                    "'response_format' must be an object whose 'type' is \"text\", \"json_object\" or \"json_schema\"");
        }
        if ("json_schema".equals(n.get("type").textValue())
                && (!n.path("json_schema").isObject() || !n.path("json_schema").path("name").isTextual())) {
            throw ApiError.badRequest("response_format.json_schema",
                    "'response_format.json_schema' must be an object with a 'name' and a 'schema'");
        }
    }

    /** OpenAI's documented limits: at most 16 pairs, keys up to 64 characters, string values up to 512. */
    private static void checkMetadata(JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw ApiError.badRequest("metadata", "'metadata' must be an object");
        }
        if (n.size() > MAX_METADATA_PAIRS) {
            throw ApiError.badRequest("metadata", "'metadata' has " + n.size() + " keys; at most " + MAX_METADATA_PAIRS);
        }
        for (var e : n.properties()) {
            ClientText.check("metadata", e.getKey(), MAX_METADATA_KEY_CHARS);
            String at = "metadata." + e.getKey();
            if (!e.getValue().isTextual()) {
                throw ApiError.badRequest(at, "'" + at + "' must be a string");
            }
            ClientText.check(at, e.getValue().textValue(), MAX_METADATA_VALUE_CHARS);
        }
    }

    private static void checkLogitBias(JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw ApiError.badRequest("logit_bias", "'logit_bias' must be an object of token ids to numbers");
        }
        for (var e : n.properties()) {
            JsonNode v = e.getValue();
            if (!e.getKey().matches("[0-9]{1,10}") || !v.isNumber() || v.asDouble() < -100 || v.asDouble() > 100) {
                throw ApiError.badRequest("logit_bias", "'logit_bias' maps token ids to numbers between -100 and 100");
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void checkUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest(null, "request body is not valid UTF-8");
        }
    }
}
