package dev.triage.simulate.trace;

import java.util.Arrays;
import java.util.List;

/**
 * For every node of a prefix tree, the requests whose prompts pass through it, in time order — counting
 * only requests at least as long as the model's minimum, since shorter ones neither read nor write.
 */
final class Occurrences {

    private final int[] start;
    private final int[] requests;

    Occurrences(PrefixTree tree, List<TraceRequest> trace, int minimumTokens) {
        int[] count = new int[tree.nodes() + 1];
        for (int r = 0; r < tree.requests(); r++) {
            if (trace.get(r).inputTokens() >= minimumTokens) {
                for (int node : tree.path(r)) {
                    count[node + 1]++;
                }
            }
        }
        for (int n = 0; n < tree.nodes(); n++) {
            count[n + 1] += count[n];
        }
        start = count;
        requests = new int[count[tree.nodes()]];
        int[] fill = Arrays.copyOf(count, tree.nodes());
        for (int r = 0; r < tree.requests(); r++) {
            if (trace.get(r).inputTokens() >= minimumTokens) {
                for (int node : tree.path(r)) {
                    requests[fill[node]++] = r;
                }
            }
        }
    }

    /** How many counted requests pass through {@code node}. */
    int count(int node) {
        return start[node + 1] - start[node];
    }

    /** The {@code i}-th counted request through {@code node}. */
    int request(int node, int i) {
        return requests[start[node] + i];
    }

    /** The first counted request after {@code request} through {@code node}, or -1. */
    int next(int node, int request) {
        int i = Arrays.binarySearch(requests, start[node], start[node + 1], request + 1);
        if (i < 0) {
            i = -i - 1;
        }
        return i < start[node + 1] ? requests[i] : -1;
    }

    /** Whether {@code request} (a counted one) passes through {@code node}. */
    boolean contains(int node, int request) {
        return Arrays.binarySearch(requests, start[node], start[node + 1], request) >= 0;
    }
}
