package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Errors as Anthropic's API writes them, for clients of {@code /v1/messages}:
 * {@code {"type": "error", "error": {"type", "message"}}}, with Anthropic's error types.
 */
final class MessagesErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessagesErrors() {
    }

    /** Anthropic's error type for a status. */
    static String typeFor(int status) {
        return switch (status) {
            case 400, 405, 415, 421, 422, 431 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> "api_error";
        };
    }

    /** The body of {@code e} in Anthropic's shape; the message names the field when the error has one. */
    static byte[] body(ApiError e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "error");
        ObjectNode error = body.putObject("error");
        error.put("type", typeFor(e.status()));
        String message = e.getMessage();
        if (e.param() != null && message != null && !message.contains(e.param())) {
            message = e.param() + ": " + message;
        }
        error.put("message", message);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (Exception impossible) {
            throw new IllegalStateException("a JSON tree always serialises", impossible);
        }
    }
}
