package dev.triage.http;

import java.time.Duration;

/**
 * An error answered in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}.
 * Thrown by handlers; {@link GatewayServer} turns it into the response.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Duration retryAfter;

    public ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
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

    /** The error type OpenAI uses for a status. */
    public static String typeFor(int status) {
        return switch (status) {
            case 400, 404, 413, 422 -> "invalid_request_error";
            case 401, 403 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> "server_error";
        };
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
