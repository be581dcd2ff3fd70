package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * An error answered in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}.
 * Thrown by handlers; {@link GatewayServer} turns it into the response.
 */
public final class ApiError extends RuntimeException {

    /** The code of a 503 for a request the gateway has no memory for right now ({@link BodyReader}). */
    static final String GATEWAY_BUSY = "gateway_busy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Duration retryAfter;
    private final boolean closesConnection;

    public ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {
        this(status, type, code, param, message, retryAfter, status == 413);
    }

    private ApiError(int status, String type, String code, String param, String message, Duration retryAfter,
                     boolean closesConnection) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
        this.closesConnection = closesConnection;
    }

    /** This error, answered with {@code Connection: close}: what the client sent after it is not read. */
    ApiError closingConnection() {
        return new ApiError(status, type, code, param, getMessage(), retryAfter, true);
    }

    public static ApiError badRequest(String param, String message) {
        return new ApiError(400, "invalid_request_error", "invalid_request", param, message, null);
    }

    public static ApiError badRequest(String code, String param, String message) {
        return new ApiError(400, "invalid_request_error", code, param, message, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "authentication_error", "invalid_api_key", null, message, null);
    }

    public static ApiError notFound(String code, String param, String message) {
        return new ApiError(404, "invalid_request_error", code, param, message, null);
    }

    public static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "request body is larger than the gateway's limit of " + limit + " bytes", null);
    }

    /**
     * The error for a status the gateway's own handlers did not describe: one set by Jetty or Javalin
     * (a malformed request line, headers too large, a failure inside the framework) or by a fatal error.
     */
    static ApiError ofStatus(int status, String message) {
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "invalid_api_key";
            case 403 -> "forbidden";
            case 404 -> "unknown_url";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 421 -> "host_not_allowed";
            case 431 -> "request_headers_too_large";
            case 500 -> "internal_error";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
        String text = message == null || message.isBlank() ? "HTTP " + status : message;
        return new ApiError(status, typeFor(status), code, null, text, null);
    }

    /** The error type OpenAI uses for a status. */
    public static String typeFor(int status) {
        return switch (status) {
            case 400, 404, 405, 408, 413, 414, 415, 421, 422, 431 -> "invalid_request_error";
            case 401, 403 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> "server_error";
        };
    }

    /** The response body. */
    byte[] body() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (Exception impossible) {
            throw new IllegalStateException("a JSON tree always serialises", impossible);
        }
    }

    /** Whether the connection is closed after this error, so that a body sent with the request is not read. */
    boolean closesConnection() {
        return closesConnection;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
