package dev.triage.bench;

import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies: every value is kept and sorted, so nothing is bucketed
 * or approximated. A run at 2,000 req/s for 20 s holds 40,000 values, which sorts in milliseconds.
 *
 * @param count how many latencies were recorded
 * @param p50   median, nanoseconds (nearest-rank: the smallest value with at least 50% at or below it)
 * @param p90   90th percentile, nanoseconds (nearest-rank)
 * @param p99   99th percentile, nanoseconds (nearest-rank)
 * @param max   largest value, nanoseconds
 */
record LatencySummary(int count, long p50, long p90, long p99, long max) {

    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

    /** Summarises the first {@code count} values of {@code nanos}; sorts that part of the array in place. */
    static LatencySummary of(long[] nanos, int count) {
        if (count == 0) {
            return EMPTY;
        }
        Arrays.sort(nanos, 0, count);
        return new LatencySummary(count,
                nearestRank(nanos, count, 50), nearestRank(nanos, count, 90), nearestRank(nanos, count, 99),
                nanos[count - 1]);
    }

    private static long nearestRank(long[] sorted, int count, int percent) {
        // rank = ceil(percent/100 * count), 1-based; integer arithmetic avoids rounding surprises.
        long rank = ((long) percent * count + 99) / 100;
        return sorted[(int) Math.max(rank, 1) - 1];
    }
}
