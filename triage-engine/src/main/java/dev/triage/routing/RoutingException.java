package dev.triage.routing;

import java.time.Duration;

/**
 * A request the router cannot place: every tier's budget is spent, only models below the quality floor
 * are left, or none of the route's models is served by a configured provider.
 *
 * @see #status() the HTTP status the gateway answers with (429 or 400)
 */
public final class RoutingException extends RuntimeException {

    private final int status;
    private final String code;
    private final Duration retryAfter;

    public RoutingException(int status, String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
