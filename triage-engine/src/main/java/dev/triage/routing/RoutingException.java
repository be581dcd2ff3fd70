package dev.triage.routing;

import java.time.Duration;

/**
 * A request the router cannot place: every tier's budget is spent, only models below the quality floor
 * are left, none of the route's models is served by a configured provider, or the budget store cannot
 * be reached.
 *
 * @see #status() the HTTP status the gateway answers with (429, 400 or 503)
 */
public final class RoutingException extends RuntimeException {

    /** The {@code Retry-After} of a refusal while the budget store is unreachable: it reconnects within seconds. */
    static final Duration BUDGET_STORE_RETRY = Duration.ofSeconds(5);

    private final int status;
    private final String code;
    private final Duration retryAfter;

    public RoutingException(int status, String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /**
     * 503 {@code budget_store_unavailable}: {@code holder} ("Route 'r'", "The API key 'k'") has a budget and the
     * shared store cannot be asked.
     */
    public static RoutingException budgetStoreUnavailable(String holder, RuntimeException cause) {
        return new RoutingException(503, "budget_store_unavailable", holder + " has a budget and the budget store"
                + " cannot be reached (" + cause.getMessage() + "); refusing rather than spending unchecked", BUDGET_STORE_RETRY);
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
