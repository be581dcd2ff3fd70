package dev.triage.learn;

import java.util.Arrays;

/**
 * The recorded prompts' embeddings, searched by cosine similarity (vectors are unit length, so a
 * dot product). Exhaustive: ten thousand 384-dimension vectors take about a millisecond per query,
 * which is less than computing the query's embedding, so an approximate index would buy nothing yet.
 */
final class NeighbourIndex {

    /** The nearest recorded prompts to a query: their positions and similarity weights (≥ 0). */
    record Neighbours(int[] index, float[] weight) {

        /** The same neighbours, most similar first. */
        Neighbours sorted() {
            Integer[] order = new Integer[index.length];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Float.compare(weight[b], weight[a]));
            int[] i2 = new int[index.length];
            float[] w2 = new float[index.length];
            for (int j = 0; j < order.length; j++) {
                i2[j] = index[order[j]];
                w2[j] = weight[order[j]];
            }
            return new Neighbours(i2, w2);
        }

        /**
         * The first {@code k} of these (sorted) neighbours that {@code renumber} maps to a position
         * (≥ 0), renumbered; null if fewer than {@code k} are left, so the caller searches afresh.
         */
        Neighbours restrict(int[] renumber, int k) {
            int[] i2 = new int[k];
            float[] w2 = new float[k];
            int n = 0;
            for (int j = 0; j < index.length && n < k; j++) {
                int to = renumber[index[j]];
                if (to >= 0) {
                    i2[n] = to;
                    w2[n++] = weight[j];
                }
            }
            return n == k ? new Neighbours(i2, w2) : null;
        }
    }

    private final float[] vectors;
    private final int dimensions;
    private final int size;

    NeighbourIndex(float[] vectors, int dimensions) {
        if (dimensions <= 0 || vectors.length % dimensions != 0) {
            throw new IllegalArgumentException("vectors do not divide into " + dimensions + " dimensions");
        }
        this.vectors = vectors;
        this.dimensions = dimensions;
        this.size = vectors.length / dimensions;
    }

    int size() {
        return size;
    }

    int dimensions() {
        return dimensions;
    }

    float[] vectors() {
        return vectors;
    }

    /** The vector of recorded prompt {@code i}. */
    float[] vector(int i) {
        return Arrays.copyOfRange(vectors, i * dimensions, (i + 1) * dimensions);
    }

    /**
     * The {@code k} recorded prompts most similar to {@code query}, leaving out {@code exclude} (the
     * query's own position when training on it, else -1) and any position {@code skip} rejects.
     */
    Neighbours nearest(float[] query, int k, int exclude, java.util.function.IntPredicate skip) {
        int want = Math.min(k, size);
        int[] idx = new int[want];
        float[] sim = new float[want];
        int filled = 0;
        // a min-heap of the best so far, kept in idx/sim
        for (int i = 0; i < size; i++) {
            if (i == exclude || (skip != null && skip.test(i))) {
                continue;
            }
            float s = dot(query, i * dimensions);
            if (filled < want) {
                idx[filled] = i;
                sim[filled] = s;
                siftUp(idx, sim, filled++);
            } else if (want > 0 && s > sim[0]) {
                idx[0] = i;
                sim[0] = s;
                siftDown(idx, sim, filled);
            }
        }
        int[] outIdx = Arrays.copyOf(idx, filled);
        float[] outWeight = new float[filled];
        for (int j = 0; j < filled; j++) {
            outWeight[j] = Math.max(0f, sim[j]);
        }
        return new Neighbours(outIdx, outWeight);
    }

    /** The similarity-weighted mean of {@code values} over {@code n}, ignoring NaN (no outcome); {@code fallback} if none. */
    static double weightedMean(Neighbours n, double[] values, double fallback) {
        double sum = 0;
        double weights = 0;
        for (int j = 0; j < n.index().length; j++) {
            double v = values[n.index()[j]];
            if (!Double.isNaN(v)) {
                sum += n.weight()[j] * v;
                weights += n.weight()[j];
            }
        }
        return weights > 0 ? sum / weights : fallback;
    }

    private float dot(float[] q, int offset) {
        // four accumulators let the JIT keep several multiply-adds in flight
        float a = 0;
        float b = 0;
        float c = 0;
        float d = 0;
        int i = 0;
        for (; i + 3 < dimensions; i += 4) {
            a += q[i] * vectors[offset + i];
            b += q[i + 1] * vectors[offset + i + 1];
            c += q[i + 2] * vectors[offset + i + 2];
            d += q[i + 3] * vectors[offset + i + 3];
        }
        for (; i < dimensions; i++) {
            a += q[i] * vectors[offset + i];
        }
        return (a + b) + (c + d);
    }

    private static void siftUp(int[] idx, float[] sim, int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (sim[parent] <= sim[at]) {
                return;
            }
            swap(idx, sim, parent, at);
            at = parent;
        }
    }

    private static void siftDown(int[] idx, float[] sim, int n) {
        int at = 0;
        while (true) {
            int l = 2 * at + 1;
            int r = l + 1;
            int min = at;
            if (l < n && sim[l] < sim[min]) {
                min = l;
            }
            if (r < n && sim[r] < sim[min]) {
                min = r;
            }
            if (min == at) {
                return;
            }
            swap(idx, sim, at, min);
            at = min;
        }
    }

    private static void swap(int[] idx, float[] sim, int a, int b) {
        int ti = idx[a];
        idx[a] = idx[b];
        idx[b] = ti;
        float ts = sim[a];
        sim[a] = sim[b];
        sim[b] = ts;
    }
}
