package dev.triage.provider;

import java.time.Duration;

/**
 * The one point in time by which a whole request (every retry and fallback) must be answered.
 * Based on a {@link Ticker} so tests can move time.
 */
public record Deadline(Ticker ticker, long atNanos) {

    public static Deadline after(Duration budget, Ticker ticker) {
        return new Deadline(ticker, ticker.nanos() + budget.toNanos());
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

    /** A deadline that is the earlier of this one and {@code budget} from now. */
    public Deadline within(Duration budget) {
        long other = ticker.nanos() + budget.toNanos();
        return other - atNanos < 0 ? new Deadline(ticker, other) : this;
    }

    /** A source of monotonic time, replaceable in tests. */
    @FunctionalInterface
    public interface Ticker {
        Ticker SYSTEM = System::nanoTime;

        long nanos();
    }
}
