package dev.triage.resilience;

import java.time.Duration;

/**
 * How hard Triage tries before giving up on a model.
 *
 * @param maxRetries              extra tries of the same model after a retryable failure (429, 5xx, connection)
 * @param backoffInitial          first backoff; doubles on each retry
 * @param backoffMax              backoff cap (an upstream's Retry-After may ask for longer, within the deadline)
 * @param breakerFailureThreshold consecutive failures that open a model's circuit
 * @param breakerOpen             how long an open circuit rejects calls before one half-open probe
 * @param requestTimeout          the one deadline of a request, covering every retry and fallback
 * @param streamIdleTimeout       the longest silence tolerated inside an upstream stream
 */
public record ResilienceSettings(int maxRetries, Duration backoffInitial, Duration backoffMax, int breakerFailureThreshold,
                                 Duration breakerOpen, Duration requestTimeout, Duration streamIdleTimeout) {

    public static ResilienceSettings defaults() {
        return new ResilienceSettings(2, Duration.ofMillis(200), Duration.ofSeconds(5), 5, Duration.ofSeconds(30),
                Duration.ofSeconds(120), Duration.ofSeconds(30));
    }
}
