package dev.triage.simulate.trace;

import java.util.List;

/**
 * A request trace, in time order.
 *
 * @param name     what to call it (the file name)
 * @param requests the requests, timestamps never decreasing
 */
public record Trace(String name, List<TraceRequest> requests) {

    public Trace {
        requests = List.copyOf(requests);
        for (int i = 1; i < requests.size(); i++) {
            if (requests.get(i).timestampMs() < requests.get(i - 1).timestampMs()) {
                throw new IllegalArgumentException("requests must be in time order: request " + (i + 1) + " comes before request " + i);
            }
        }
    }

    /** Milliseconds from the first request to the last. */
    public long spanMs() {
        return requests.isEmpty() ? 0 : requests.getLast().timestampMs() - requests.getFirst().timestampMs();
    }

    /**
     * Part {@code k} of {@code n} equal stretches of time, as a trace of its own (e.g. 1 of 2 is the first
     * half): requests from {@code first + (k-1)·span/n} up to, not including, {@code first + k·span/n}; the
     * last part includes the last request.
     */
    public Trace part(int k, int n) {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("a part is K/N with 1 <= K <= N, got " + k + "/" + n);
        }
        if (requests.isEmpty()) {
            return this;
        }
        long start = requests.getFirst().timestampMs();
        long from = start + Math.floorDiv(spanMs() * (k - 1), n);
        long to = start + Math.floorDiv(spanMs() * k, n);
        List<TraceRequest> in = requests.stream()
                .filter(r -> r.timestampMs() >= from && (r.timestampMs() < to || k == n))
                .toList();
        return new Trace(name + " (part " + k + "/" + n + ")", in);
    }
}
