package dev.triage.resilience;

import dev.triage.provider.Deadline.Ticker;
import java.time.Duration;

/**
 * A per-model circuit breaker: opens after {@code threshold} consecutive failures, rejects calls
 * while open, then lets exactly one half-open probe through; the probe's result closes or re-opens it.
 */
public final class CircuitBreaker {

    /** The breaker's state as seen by callers. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openNanos;
    private final Ticker ticker;
    private int consecutiveFailures;
    private long openedAt;
    private State state = State.CLOSED;
    private boolean probeInFlight;

    public CircuitBreaker(int threshold, Duration open, Ticker ticker) {
        this.threshold = threshold;
        this.openNanos = open.toNanos();
        this.ticker = ticker;
    }

    /** Whether a call may go ahead now; a true answer in half-open state reserves the single probe. */
    public synchronized boolean tryAcquire() {
        if (state == State.OPEN && ticker.nanos() - openedAt >= openNanos) {
            state = State.HALF_OPEN;
            probeInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (probeInFlight) {
                    yield false;
                }
                probeInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        probeInFlight = false;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openedAt = ticker.nanos();
            probeInFlight = false;
        }
    }

    /** A call that was let through but ended without saying anything about the model's health. */
    public synchronized void onNeutral() {
        if (state == State.HALF_OPEN) {
            probeInFlight = false;
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && ticker.nanos() - openedAt >= openNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
