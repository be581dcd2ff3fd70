package dev.triage.provider;

import java.time.Duration;

/**
 * A failed upstream call. The message is safe to show to clients and to log: providers build it
 * from the upstream's error body with secrets removed ({@link Secrets#redact}).
 */
public final class ProviderException extends RuntimeException {

    private final ErrorKind kind;
    private final int upstreamStatus;
    private final Duration retryAfter;
    private final String param;

    public ProviderException(ErrorKind kind, int upstreamStatus, String message, Duration retryAfter, Throwable cause) {
        this(kind, upstreamStatus, message, retryAfter, cause, null);
    }

    /** @param param the request field at fault, as the upstream named it (OpenAI's error {@code param}), or null */
    public ProviderException(ErrorKind kind, int upstreamStatus, String message, Duration retryAfter, Throwable cause, String param) {
        super(Secrets.redact(message), cause, false, false);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
        this.param = param;
    }

    /**
     * A request the adapter will not send, refused before any upstream call ({@link ErrorKind#BAD_REQUEST}, no status),
     * naming the request field at fault as OpenAI's error {@code param} does ({@code "n"}, {@code "logprobs"}, {@code "messages"}).
     */
    public static ProviderException refused(String param, String message) {
        return new ProviderException(ErrorKind.BAD_REQUEST, 0, message, null, null, param);
    }

    /** The same failure with another message (a provider adding its name), keeping the kind, status and param. */
    public ProviderException withMessage(String message) {
        return new ProviderException(kind, upstreamStatus, message, retryAfter, getCause(), param);
    }

    public ProviderException(ErrorKind kind, int upstreamStatus, String message) {
        this(kind, upstreamStatus, message, null, null);
    }

    public ProviderException(ErrorKind kind, String message, Throwable cause) {
        this(kind, 0, message, null, cause);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The upstream HTTP status, or 0 when there was none (connection failure, timeout). */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** The upstream's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The request field at fault (OpenAI's error {@code param}), or null when no one field is. */
    public String param() {
        return param;
    }
}
