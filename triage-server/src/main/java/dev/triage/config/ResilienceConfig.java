package dev.triage.config;

import java.time.Duration;

/**
 * How hard Triage tries one model before falling back ({@code resilience:}).
 *
 * @param maxRetries              retries of a retryable failure on the same model, after the first attempt
 * @param backoffInitial          wait before the first retry; doubles each retry (unless Retry-After says otherwise)
 * @param backoffMax              longest wait between retries
 * @param breakerFailureThreshold consecutive failures that open a model's circuit breaker
 * @param breakerOpen             how long an open breaker skips the model before letting one trial call through
 */
public record ResilienceConfig(int maxRetries, Duration backoffInitial, Duration backoffMax,
                               int breakerFailureThreshold, Duration breakerOpen) {

    public static ResilienceConfig defaults() {
        return new ResilienceConfig(2, Duration.ofMillis(200), Duration.ofMillis(5000), 5, Duration.ofMillis(30_000));
    }
}
