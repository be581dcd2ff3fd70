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

    public ProviderException(ErrorKind kind, int upstreamStatus, String message, Duration retryAfter, Throwable cause) {
        super(Secrets.redact(message), cause, false, false);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
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
}
