package dev.triage.simulate.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompts of a trace as a tree of prefixes: each node is a place where a prompt may be cut (a block
 * boundary, or the end of a prompt), each request a path from the root to the node where its prompt ends,
 * and two requests share exactly the nodes on the common part of their paths. Cache entries live on nodes.
 *
 * <p>Block ids show which prefixes are shared, but only at block boundaries. A prompt that ends inside a
 * block gets an id for that partial block which the next turn of its conversation never repeats: there
 * the block is full, with the answer and the next question after the old prompt's end. So an earlier
 * prompt P is taken to be a prefix of a later, longer request Q when Q starts with all of P's full blocks
 * (at least one), unless the trace shows that what follows those blocks differs from request to request (two different
 * full blocks follow them somewhere in the trace, or two different partial ones of the same length):
 * then all that is known is that P and Q begin alike, and P's end is not on Q's path.
 */
final class PrefixTree {

    private static final int ROOT = 0;

    private final int[] tokens;
    private final int[] parent;
    private final int[][] paths;

    private PrefixTree(int[] tokens, int[] parent, int[][] paths) {
        this.tokens = tokens;
        this.parent = parent;
        this.paths = paths;
    }

    static PrefixTree of(List<TraceRequest> requests) {
        Builder b = new Builder();
        int[] ends = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            ends[i] = b.add(requests.get(i));
        }
        int[][] paths = new int[requests.size()][];
        for (int i = 0; i < requests.size(); i++) {
            paths[i] = b.path(requests.get(i), ends[i]);
        }
        int[] parent = new int[b.size];
        Arrays.fill(parent, -1);
        for (int[] path : paths) {
            for (int j = 0; j < path.length; j++) {
                int before = j == 0 ? ROOT : path[j - 1];
                if (parent[path[j]] != -1 && parent[path[j]] != before) {
                    throw new IllegalStateException("node " + path[j] + " has two parents: " + parent[path[j]] + " and " + before);
                }
                parent[path[j]] = before;
            }
        }
        return new PrefixTree(Arrays.copyOf(b.tokens, b.size), parent, paths);
    }

    /** Nodes, the root (node 0, the empty prefix) included. */
    int nodes() {
        return tokens.length;
    }

    /** Tokens of the prefix that ends at {@code node}. */
    int tokens(int node) {
        return tokens[node];
    }

    /** The node before {@code node} on every path through it (the root for the first). */
    int parent(int node) {
        return parent[node];
    }

    /** The boundaries of request {@code request}'s prompt in order, its end last (the root not included). */
    int[] path(int request) {
        return paths[request];
    }

    int requests() {
        return paths.length;
    }

    private static final class Builder {

        int[] tokens = new int[1024];
        int size = 1; // the root, 0 tokens
        final Map<Long, Integer> fullChild = new HashMap<>();
        final Map<Long, Integer> partialChild = new HashMap<>();
        int[] fullChildren = new int[1024];
        boolean[] fork = new boolean[1024];
        /** Per full node: the prompts that end inside the block after it, as nodes. */
        final Map<Integer, List<Integer>> partialEnds = new HashMap<>();
        final Map<Integer, int[]> sortedEnds = new HashMap<>();

        private static long key(int node, int block) {
            return ((long) node << 32) | (block & 0xffffffffL);
        }

        private int newNode(int prefixTokens) {
            if (size == tokens.length) {
                tokens = Arrays.copyOf(tokens, size * 2);
                fullChildren = Arrays.copyOf(fullChildren, size * 2);
                fork = Arrays.copyOf(fork, size * 2);
            }
            tokens[size] = prefixTokens;
            return size++;
        }

        /** Adds the request's nodes; returns the node where its prompt ends. */
        int add(TraceRequest r) {
            int node = ROOT;
            for (int k = 0; k < r.fullBlocks(); k++) {
                long key = key(node, r.block(k));
                Integer child = fullChild.get(key);
                if (child == null) {
                    child = newNode((k + 1) * TraceRequest.BLOCK_TOKENS);
                    fullChild.put(key, child);
                    if (++fullChildren[node] >= 2) {
                        fork[node] = true;
                    }
                }
                node = child;
            }
            if (!r.endsInsideABlock()) {
                return node;
            }
            long key = key(node, r.block(r.blockCount() - 1));
            Integer end = partialChild.get(key);
            if (end == null) {
                end = newNode(r.inputTokens());
                partialChild.put(key, end);
                List<Integer> siblings = partialEnds.computeIfAbsent(node, n -> new ArrayList<>());
                for (int s : siblings) {
                    if (tokens[s] == r.inputTokens()) {
                        fork[node] = true; // two different prompts of one length after the same blocks
                    }
                }
                siblings.add(end);
            }
            return end;
        }

        /** The prompts ending inside the block after {@code full}, by length; none after a fork. */
        private int[] endsAfter(int full) {
            if (full == ROOT || fork[full] || !partialEnds.containsKey(full)) {
                return new int[0];
            }
            return sortedEnds.computeIfAbsent(full, f -> partialEnds.get(f).stream()
                    .sorted((a, b) -> Integer.compare(tokens[a], tokens[b])).mapToInt(Integer::intValue).toArray());
        }

        int[] path(TraceRequest r, int end) {
            int[] path = new int[r.blockCount() + 4];
            int n = 0;
            int node = ROOT;
            for (int k = 0; k <= r.fullBlocks(); k++) {
                if (k > 0) {
                    node = fullChild.get(key(node, r.block(k - 1)));
                    path = room(path, n);
                    path[n++] = node;
                }
                for (int e : endsAfter(node)) {
                    if (tokens[e] < r.inputTokens() && e != end) {
                        path = room(path, n);
                        path[n++] = e;
                    }
                }
            }
            if (r.endsInsideABlock()) {
                path = room(path, n);
                path[n++] = end;
            }
            return Arrays.copyOf(path, n);
        }

        private static int[] room(int[] path, int n) {
            return n < path.length ? path : Arrays.copyOf(path, path.length * 2);
        }
    }
}
