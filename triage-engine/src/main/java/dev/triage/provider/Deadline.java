package dev.triage.provider;

import java.time.Duration;

/**
 * The one point in time by which a whole request (every retry and fallback) must be answered.
 * Based on a {@link Ticker} so tests can move time.
 *
 * @param shortened whether the caller (its latency hint) or the route (a step's latency budget) moved it
 *                  earlier than the gateway's own request timeout: an upstream that misses such a
 *                  deadline was given less time than the gateway gives any upstream, so missing it says
 *                  nothing about the upstream's health and never counts against its circuit breaker
 */
public record Deadline(Ticker ticker, long atNanos, boolean shortened) {

    /** The gateway's own deadline: {@code budget} from now. */
    public static Deadline after(Duration budget, Ticker ticker) {
        return new Deadline(ticker, ticker.nanos() + budget.toNanos(), false);
    }

    public static Deadline after(Duration budget) {
        return after(budget, Ticker.SYSTEM);
    }

    public Duration remaining() {
        long left = atNanos - ticker.nanos();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean expired() {
        return atNanos - ticker.nanos() <= 0;
    }

    /** A deadline that is the earlier of this one and {@code budget} from now; {@link #shortened()} if it is earlier. */
    public Deadline within(Duration budget) {
        long other = ticker.nanos() + budget.toNanos();
        return other - atNanos < 0 ? new Deadline(ticker, other, true) : this;
    }

    /** A source of monotonic time, replaceable in tests. */
    @FunctionalInterface
    public interface Ticker {
        Ticker SYSTEM = System::nanoTime;

        long nanos();
    }
}
