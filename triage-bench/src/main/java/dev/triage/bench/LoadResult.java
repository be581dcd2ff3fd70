package dev.triage.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one load run measured. Latencies run from each request's intended send time to the end of
 * its response, so time spent waiting for a free connection or a late generator is included.
 *
 * @param options      what was asked for
 * @param rateAchieved responses (successful or not) per second over the measured window
 * @param requests     requests scheduled in the measured window
 * @param errors       non-2xx responses, I/O failures, and requests that could not be sent in time
 * @param latency      latencies of the successful requests
 * @param sendLag      how late each request left (intended time to write); the generator's own slack
 * @param reconnects   connections that had to be reopened (closed by the server or failed)
 */
public record LoadResult(LoadOptions options, double rateAchieved, int requests, int errors,
                         LatencySummary latency, LatencySummary sendLag, int reconnects) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One JSON object, on one line, with times in milliseconds. */
    public String toJsonLine() {
        ObjectNode line = JSON.createObjectNode();
        if (options.label() != null) {
            line.put("label", options.label());
        }
        line.put("url", options.url().toString());
        line.put("rate_target", options.rate());
        line.put("rate_achieved", round(rateAchieved, 1));
        line.put("requests", requests);
        line.put("errors", errors);
        line.put("p50_ms", millis(latency.p50()));
        line.put("p90_ms", millis(latency.p90()));
        line.put("p99_ms", millis(latency.p99()));
        line.put("max_ms", millis(latency.max()));
        line.put("send_lag_p99_ms", millis(sendLag.p99()));
        line.put("connections", options.connections());
        line.put("reconnects", reconnects);
        line.put("duration_s", options.durationSeconds());
        line.put("warmup_s", options.warmupSeconds());
        return line.toString();
    }

    private static double millis(long nanos) {
        return round(nanos / 1e6, 3);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
