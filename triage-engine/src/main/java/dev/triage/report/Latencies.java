package dev.triage.report;

import java.util.Map;
import java.util.TreeMap;

/** A histogram of whole milliseconds and its exact nearest-rank percentiles. */
final class Latencies {

    private final TreeMap<Long, Long> counts = new TreeMap<>();
    private long total;

    void add(long ms, long count) {
        counts.merge(ms, count, Long::sum);
        total += count;
    }

    long count() {
        return total;
    }

    /**
     * The nearest-rank percentile: the smallest time that at least {@code pct} percent of the measured attempts
     * took no longer than (PostgreSQL's {@code percentile_disc(pct / 100)}); null without measurements.
     */
    Long percentile(int pct) {
        if (pct <= 0 || pct > 100) {
            throw new IllegalArgumentException("percentile must be in 1..100: " + pct);
        }
        if (total == 0) {
            return null;
        }
        // rank = ceil(pct × total / 100), in exact integers
        long rank = Math.ceilDiv(Math.multiplyExact(total, (long) pct), 100L);
        long seen = 0;
        for (Map.Entry<Long, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }
}
