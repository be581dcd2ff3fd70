package dev.triage.report;

import java.util.Objects;

/**
 * One bar of a latency histogram: how many successful attempts of the period took exactly {@code ms} milliseconds,
 * for one model, route or UTC day. Exact percentiles are read from these counts ({@link Latencies}), so a
 * source returns one row per distinct value, never one per attempt.
 *
 * @param axis    what {@code name} names
 * @param measure which time was measured
 * @param name    the model, the route (or model asked for by name), or the UTC day as {@code YYYY-MM-DD}
 * @param ms      the time in whole milliseconds
 * @param count   attempts that took it
 */
public record LatencyRow(Axis axis, Measure measure, String name, long ms, long count) {

    /** What a histogram is kept per. */
    public enum Axis { MODEL, ROUTE, DAY }

    /** Which time: the whole upstream call, or the time to its first streamed token. */
    public enum Measure { LATENCY, TTFT }

    public LatencyRow {
        Objects.requireNonNull(axis, "axis");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(name, "name");
        if (ms < 0 || count <= 0) {
            throw new IllegalArgumentException("a latency bar needs ms >= 0 and count > 0: " + ms + ", " + count);
        }
    }
}
