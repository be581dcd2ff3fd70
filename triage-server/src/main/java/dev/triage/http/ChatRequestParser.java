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
import java.io.InputStream;
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
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    // Fields some gateways accept to send a request elsewhere or with other credentials; Triage decides that.
    private static final Set<String> REDIRECTING = Set.of("api_base", "base_url", "api_key", "api_version",
            "custom_llm_provider", "organization", "azure_endpoint", "extra_headers");

    private final ObjectMapper json;
    private final long maxBodyBytes;

    public ChatRequestParser(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        JsonMapper mapper = JsonMapper.builder().build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.json = mapper;
    }

    /** Reads at most the body limit; a declared or actual larger body is refused with 413 without reading it all. */
    public byte[] readBody(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > maxBodyBytes) {
            throw ApiError.tooLarge(maxBodyBytes);
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            throw ApiError.tooLarge(maxBodyBytes);
        }
        return body;
    }

    public ChatRequest parse(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest(null, "request body is empty; expected a JSON chat completion request");
        }
        checkUtf8(body);
        JsonNode root;
        try {
            root = json.readTree(body);
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
        ObjectNode obj = (ObjectNode) root;
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
        checkMessages(obj.get("messages"));
        checkType(obj, "stream", JsonNode::isBoolean, "a boolean");
        checkType(obj, "stream_options", JsonNode::isObject, "an object");
        checkType(obj, "tools", JsonNode::isArray, "an array");
        checkType(obj, "metadata", JsonNode::isObject, "an object");
        checkType(obj, "user", JsonNode::isTextual, "a string");
        checkType(obj, "seed", JsonNode::isIntegralNumber, "an integer");
        checkType(obj, "logprobs", JsonNode::isBoolean, "a boolean");
        checkType(obj, "stop", n -> n.isTextual() || n.isArray() && n.size() <= 4 && allText(n), "a string or an array of up to 4 strings");
        checkRange(obj, "temperature", 0, 2);
        checkRange(obj, "top_p", 0, 1);
        checkRange(obj, "presence_penalty", -2, 2);
        checkRange(obj, "frequency_penalty", -2, 2);
        checkPositiveInt(obj, "max_tokens");
        checkPositiveInt(obj, "max_completion_tokens");
        checkPositiveInt(obj, "n");
        checkRange(obj, "top_logprobs", 0, 20);
        return new ChatRequest(obj);
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

    private static void checkPositiveInt(ObjectNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > Integer.MAX_VALUE)) {
            throw ApiError.badRequest(field, "'" + field + "' must be a positive integer");
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
