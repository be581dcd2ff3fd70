package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NeighbourIndexTest {

    private static float[] unit(Random r, int d) {
        float[] v = new float[d];
        double n = 0;
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < d; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    @Test
    void nearestIsExactlyTheTopKByDotProduct() {
        Random r = new Random(5);
        int n = 500;
        int d = 37; // not a multiple of the unrolled loop's four
        float[][] vs = new float[n][];
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            vs[i] = unit(r, d);
            System.arraycopy(vs[i], 0, flat, i * d, d);
        }
        NeighbourIndex index = new NeighbourIndex(flat, d);
        float[] q = unit(r, d);
        NeighbourIndex.Neighbours near = index.nearest(q, 10, 3, null).sorted();
        int[] expected = IntStream.range(0, n).filter(i -> i != 3).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -dot(q, vs[i]))).limit(10).mapToInt(Integer::intValue).toArray();
        assertThat(near.index()).containsExactly(expected);
    }

    @Test
    void restrictKeepsTheFirstKAllowedRenumbered() {
        NeighbourIndex.Neighbours n = new NeighbourIndex.Neighbours(new int[] {4, 1, 3, 0}, new float[] {0.9f, 0.8f, 0.7f, 0.6f});
        int[] renumber = {0, -1, -1, 1, 2}; // positions 1 and 2 are held out
        NeighbourIndex.Neighbours kept = n.restrict(renumber, 2);
        assertThat(kept.index()).containsExactly(2, 1);
        assertThat(kept.weight()).containsExactly(0.9f, 0.7f);
        assertThat(n.restrict(renumber, 4)).isNull();
    }

    @Test
    void weightedMeanSkipsModelsWithoutAnOutcome() {
        NeighbourIndex.Neighbours n = new NeighbourIndex.Neighbours(new int[] {0, 1, 2}, new float[] {1f, 1f, 0f});
        assertThat(NeighbourIndex.weightedMean(n, new double[] {1, Double.NaN, 0}, 0.5)).isEqualTo(1.0);
        assertThat(NeighbourIndex.weightedMean(n, new double[] {Double.NaN, Double.NaN, 0}, 0.5)).isEqualTo(0.5);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
