package dev.triage.keys;

import java.time.Duration;

/**
 * The sliding-minute estimate: the current clock minute's use plus the previous minute's, weighted by the
 * share of it still within the last 60 seconds. Exact for steady traffic, and never lets a burst at a
 * minute's boundary pass twice the limit (as fixed windows do).
 */
public final class SlidingMinute {

    static final long MINUTE_MS = 60_000;
    /** Waits are looked for this far ahead: two minutes forget everything. */
    private static final int HORIZON_S = 120;

    private SlidingMinute() {
    }

    /** The minute (since the epoch) {@code nowMs} falls in. */
    public static long window(long nowMs) {
        return Math.floorDiv(nowMs, MINUTE_MS);
    }

    /** The estimated use at {@code nowMs}, given the use counted in the previous and the current minute. */
    public static double estimate(long nowMs, long previous, long current) {
        double elapsed = (double) Math.floorMod(nowMs, MINUTE_MS) / MINUTE_MS;
        return previous * (1 - elapsed) + current;
    }

    /**
     * How long until {@code extra} more units fit under {@code limit} (for a check, extra 0 and strictly
     * under), if nothing else is used meanwhile; whole seconds, at least one.
     */
    public static Duration waitFor(long nowMs, long previous, long current, long extra, long limit, boolean strict) {
        long window = window(nowMs);
        for (int s = 1; s <= HORIZON_S; s++) {
            long at = nowMs + s * 1000L;
            long w = window(at);
            double est = w == window ? estimate(at, previous, current) : w == window + 1 ? estimate(at, current, 0) : 0;
            if (strict ? est + extra < limit : est + extra <= limit) {
                return Duration.ofSeconds(s);
            }
        }
        return Duration.ofSeconds(HORIZON_S);
    }
}
