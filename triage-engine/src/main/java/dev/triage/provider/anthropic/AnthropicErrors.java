package dev.triage.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.http.RetryAfter;
import dev.triage.provider.http.UpstreamHttp;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;

/**
 * Maps Anthropic's errors, {@code {"type":"error","error":{"type":..., "message":...}}}, whether
 * they come as an HTTP answer or as an {@code error} event in the middle of a stream.
 */
final class AnthropicErrors implements UpstreamHttp.ErrorMapper {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 500;

    private final String provider;

    AnthropicErrors(String provider) {
        this.provider = provider;
    }

    @Override
    public ProviderException map(int status, HttpHeaders headers, byte[] body) {
        JsonNode error = parse(body);
        Duration retryAfter = RetryAfter.parse(headers);
        return build(status, error, retryAfter, "HTTP " + status);
    }

    /** An {@code error} event received after the 200 answer had started streaming. */
    ProviderException fromStreamEvent(JsonNode event) {
        return build(200, event.path("error"), null, "during the stream");
    }

    private ProviderException build(int status, JsonNode error, Duration retryAfter, String where) {
        String type = error == null ? "" : error.path("type").asText("");
        String message = error == null ? "" : error.path("message").asText("");
        ErrorKind kind = kind(status, type, message);
        StringBuilder text = new StringBuilder(provider).append(": ");
        text.append(message.isEmpty() ? "upstream error" : truncate(message));
        text.append(" (");
        if (!type.isEmpty()) {
            text.append(type).append(", ");
        }
        text.append(where).append(')');
        return new ProviderException(kind, status, text.toString(), retryAfter, null);
    }

    /**
     * The HTTP status decides ({@link ErrorKind#fromHttp}); an {@code error} event inside a 200 stream has
     * no status of its own, so there the error's type decides.
     */
    static ErrorKind kind(int status, String type, String message) {
        ErrorKind bodySays = kindOfType(type, message);
        if (status == 200) {
            return bodySays == null ? ErrorKind.SERVER_ERROR : bodySays;
        }
        return ErrorKind.fromHttp(status, bodySays);
    }

    private static ErrorKind kindOfType(String type, String message) {
        return switch (type) {
            case "overloaded_error" -> ErrorKind.OVERLOADED;
            case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
            case "api_error" -> ErrorKind.SERVER_ERROR;
            case "timeout_error" -> ErrorKind.TIMEOUT;
            // billing_error: the gateway's account is out of credit, a configuration problem like a bad key
            case "authentication_error", "permission_error", "billing_error" -> ErrorKind.AUTH;
            case "request_too_large" -> ErrorKind.CONTEXT_TOO_LONG;
            case "not_found_error" -> ErrorKind.BAD_REQUEST;
            case "invalid_request_error" -> tooLong(message) ? ErrorKind.CONTEXT_TOO_LONG : ErrorKind.BAD_REQUEST;
            default -> null;
        };
    }

    // Anthropic reports an overfull context as a plain invalid_request_error; only the wording tells.
    private static boolean tooLong(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("prompt is too long") || m.contains("exceed context limit");
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            return root != null && root.path("error").isObject() ? root.get("error") : null;
        } catch (IOException notJson) {
            return null; // e.g. an HTML page from a proxy: the status alone decides
        }
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }
}
