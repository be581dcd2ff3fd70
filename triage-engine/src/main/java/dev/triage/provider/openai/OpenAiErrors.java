package dev.triage.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.Secrets;
import dev.triage.provider.http.RetryAfter;
import dev.triage.provider.http.UpstreamHttp;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns OpenAI-style error bodies into {@link ProviderException}s.
 *
 * <p>OpenAI answers {@code {"error":{"message","type","param","code"}}}. Compatible servers vary:
 * vLLM puts the HTTP status in a numeric {@code code}, Ollama sends {@code {"error":"text"}}, and
 * some put the error fields at the top level. All of these are read; anything else gets a generic
 * message with the status.
 */
final class OpenAiErrors implements UpstreamHttp.ErrorMapper {

    /** Upstream text is cut to this length so a huge error page cannot flood logs or clients. */
    static final int MAX_MESSAGE_CHARS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;

    OpenAiErrors(String provider) {
        this.provider = provider;
    }

    @Override
    public ProviderException map(int status, HttpHeaders headers, byte[] body) {
        Duration retryAfter = RetryAfter.parse(headers);
        JsonNode error = errorObject(body);
        if (error == null) {
            return new ProviderException(ErrorKind.fromStatus(status), status,
                    provider + ": upstream answered HTTP " + status + " without an OpenAI error body", retryAfter, null);
        }
        return build(ErrorKind.fromStatus(status), status, error, retryAfter);
    }

    /**
     * An error the upstream reported inside a 200 answer: as a stream event, or as the whole body of
     * a non-streaming answer. There is no HTTP status to go by, so the kind comes from the error's
     * own {@code code} (a number on vLLM and OpenRouter) or {@code type}.
     */
    ProviderException inBand(JsonNode payload) {
        JsonNode error = payload.has("error") ? payload.get("error") : payload;
        if (!error.isObject() && !error.isTextual()) {
            return new ProviderException(ErrorKind.SERVER_ERROR, 200, provider + ": upstream reported an error mid-answer");
        }
        JsonNode code = error.path("code");
        if (code.canConvertToInt() && code.asInt() >= 400 && code.asInt() <= 599) {
            return build(ErrorKind.fromStatus(code.asInt()), code.asInt(), error, null);
        }
        String type = (error.path("type").asText("") + " " + code.asText("")).toLowerCase(Locale.ROOT);
        ErrorKind kind;
        if (type.contains("rate_limit") || type.contains("insufficient_quota")) {
            kind = ErrorKind.RATE_LIMITED;
        } else if (type.contains("invalid_request") || type.contains("context_length")) {
            kind = ErrorKind.BAD_REQUEST;
        } else if (type.contains("overloaded")) {
            kind = ErrorKind.OVERLOADED;
        } else {
            kind = ErrorKind.SERVER_ERROR;
        }
        return build(kind, 200, error, null);
    }

    private ProviderException build(ErrorKind statusKind, int status, JsonNode error, Duration retryAfter) {
        String message = error.isTextual() ? error.asText() : error.path("message").asText("");
        String code = error.path("code").asText("");
        String type = error.path("type").asText("");
        ErrorKind kind = statusKind;
        String prefix = "";
        if ((kind == ErrorKind.BAD_REQUEST || kind == ErrorKind.CONTEXT_TOO_LONG) && isContextOverflow(code, message)) {
            kind = ErrorKind.CONTEXT_TOO_LONG;
        }
        if (kind == ErrorKind.RATE_LIMITED && ("insufficient_quota".equals(code) || "insufficient_quota".equals(type))) {
            // Retrying will not help until someone pays, but the next provider of a fallback chain may.
            prefix = "quota exhausted: ";
        }
        if (message.isBlank()) {
            message = "upstream answered HTTP " + status + (code.isEmpty() ? "" : " (" + code + ")");
        }
        return new ProviderException(kind, status, provider + ": " + prefix + clip(message), retryAfter, null, param(error));
    }

    /** The field the upstream blamed, passed on to the client: requests reach an OpenAI-compatible upstream as sent. */
    private static String param(JsonNode error) {
        JsonNode param = error.path("param");
        if (!param.isTextual() || param.asText().isBlank()) {
            return null;
        }
        String name = param.asText();
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    private static boolean isContextOverflow(String code, String message) {
        if ("context_length_exceeded".equals(code)) {
            return true;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("maximum context length") || m.contains("context_length_exceeded")
                || m.contains("context window");
    }

    /** Redacts before clipping: a key cut in half would no longer be recognised. */
    private static String clip(String upstreamMessage) {
        String safe = Secrets.redact(upstreamMessage.strip());
        return safe.length() <= MAX_MESSAGE_CHARS ? safe : safe.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    private static JsonNode errorObject(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.get("error");
        if (error != null && (error.isObject() || error.isTextual())) {
            return error;
        }
        return root.has("message") ? root : null;
    }
}
