package dev.triage.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.http.RetryAfter;
import dev.triage.provider.http.UpstreamHttp;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps Gemini's Google-style error body, {@code {"error":{"code":429,"message":...,"status":"RESOURCE_EXHAUSTED","details":[...]}}},
 * to Triage's error model. The HTTP status decides ({@link ErrorKind#fromHttp}); the gRPC {@code status}
 * and message only narrow a 400 down (a rejected key, an overfull context), and decide for errors
 * inside a stream, which have no HTTP status of their own.
 */
final class GeminiErrors implements UpstreamHttp.ErrorMapper {

    // "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576)."
    private static final Pattern TOO_MANY_TOKENS = Pattern.compile(
            "token count.*exceed|exceeds the maximum number of tokens", Pattern.CASE_INSENSITIVE);

    private final String provider;

    GeminiErrors(String provider) {
        this.provider = provider;
    }

    @Override
    public ProviderException map(int status, HttpHeaders headers, byte[] body) {
        JsonNode root;
        try {
            root = ResponseTranslator.JSON.readTree(body);
        } catch (IOException notJson) {
            root = MissingNode.getInstance();
        }
        JsonNode error = errorOf(root);
        if (error.isMissingNode()) {
            String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            String snippet = text.length() > 200 ? text.substring(0, 200) + "…" : text;
            return new ProviderException(ErrorKind.fromStatus(status), status,
                    provider + ": HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet), RetryAfter.parse(headers), null);
        }
        return fromError(status, error, RetryAfter.parse(headers));
    }

    /** The {@code error} object of a body; error bodies sometimes come wrapped in an array. */
    static JsonNode errorOf(JsonNode root) {
        JsonNode error = (root.isArray() ? root.path(0) : root).path("error");
        return error.isObject() ? error : MissingNode.getInstance();
    }

    /** An error object, from an HTTP answer or from inside a stream (where {@code status} is 0). */
    ProviderException fromError(int status, JsonNode error, Duration retryAfter) {
        int code = status != 0 ? status : error.path("code").asInt(0);
        String grpcStatus = error.path("status").asText("");
        String message = error.path("message").asText("");
        ErrorKind kind = kind(status, grpcStatus, code, message, error);
        Duration wait = retryAfter != null ? retryAfter : retryDelay(error);
        String text = provider + ": " + (grpcStatus.isEmpty() ? "HTTP " + code : grpcStatus)
                + (message.isEmpty() ? "" : ": " + message);
        return new ProviderException(kind, code, text, wait, null);
    }

    private static ErrorKind kind(int httpStatus, String grpcStatus, int code, String message, JsonNode error) {
        ErrorKind bodySays = kindOfStatus(grpcStatus, message, error);
        if (httpStatus != 0) {
            return ErrorKind.fromHttp(httpStatus, bodySays);
        }
        return bodySays != null ? bodySays : code == 0 ? ErrorKind.SERVER_ERROR : ErrorKind.fromStatus(code);
    }

    private static ErrorKind kindOfStatus(String grpcStatus, String message, JsonNode error) {
        ErrorKind kind = switch (grpcStatus) {
            case "RESOURCE_EXHAUSTED" -> ErrorKind.RATE_LIMITED;
            case "UNAVAILABLE" -> ErrorKind.OVERLOADED;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> ErrorKind.SERVER_ERROR;
            case "UNAUTHENTICATED", "PERMISSION_DENIED" -> ErrorKind.AUTH;
            case "DEADLINE_EXCEEDED" -> ErrorKind.TIMEOUT;
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE", "NOT_FOUND" -> ErrorKind.BAD_REQUEST;
            default -> null;
        };
        if (kind != ErrorKind.BAD_REQUEST) {
            return kind;
        }
        // Gemini answers a bad key with 400 INVALID_ARGUMENT, not 401.
        if (invalidApiKey(message, error)) {
            return ErrorKind.AUTH;
        }
        return TOO_MANY_TOKENS.matcher(message).find() ? ErrorKind.CONTEXT_TOO_LONG : ErrorKind.BAD_REQUEST;
    }

    private static boolean invalidApiKey(String message, JsonNode error) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("api key not valid") || lower.contains("api key not found") || lower.contains("api key expired")) {
            return true;
        }
        for (JsonNode detail : error.path("details")) {
            String reason = detail.path("reason").asText("");
            if (reason.equals("API_KEY_INVALID") || reason.equals("API_KEY_EXPIRED")) {
                return true;
            }
        }
        return false;
    }

    /** The {@code retryDelay} of a {@code google.rpc.RetryInfo} detail: a protobuf duration such as {@code "13s"} or {@code "45.837906927s"}. */
    static Duration retryDelay(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (!detail.path("@type").asText("").endsWith("google.rpc.RetryInfo")) {
                continue;
            }
            String delay = detail.path("retryDelay").asText("").trim();
            if (!delay.endsWith("s")) {
                return null;
            }
            try {
                BigDecimal seconds = new BigDecimal(delay.substring(0, delay.length() - 1));
                if (seconds.signum() < 0) {
                    return null;
                }
                return Duration.ofSeconds(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            } catch (NumberFormatException | ArithmeticException malformed) {
                return null;
            }
        }
        return null;
    }
}
