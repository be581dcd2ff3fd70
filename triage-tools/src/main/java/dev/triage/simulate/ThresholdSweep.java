package dev.triage.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The knob settings at which a score-threshold router is measured, as RouteLLM does it (Ong et al.,
 * arXiv 2406.18665; its evaluation code, {@code routellm/evals/benchmarks.py}): the router
 * gives every item a score (its estimate that the strong model is needed), and the thresholds are
 * the edges of {@code n} equally populated bins of those scores, i.e. their quantiles at
 * 0, 1/n, …, 1. At each threshold but the last an item goes to the strong model when its score is
 * ≥ the threshold; at the last (the maximum score), when it is strictly above it. So the first point
 * sends every item to the strong model and the last none, and the sweep spans strong-call shares
 * from 100% down to 0%.
 */
public final class ThresholdSweep {

    private final double[] thresholds;

    private ThresholdSweep(double[] thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * The {@code n + 1} thresholds for {@code scores}: the quantiles at k/n for k = 0..n, by linear
     * interpolation between order statistics (the position of quantile p among N sorted scores is
     * p·(N−1); numpy's and pandas' default). Repeated scores give repeated thresholds, kept as such.
     */
    public static double[] quantiles(double[] scores, int n) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("quantiles of no scores");
        }
        if (n < 1) {
            throw new IllegalArgumentException("need at least one bin: " + n);
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double[] q = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            double position = (double) k / n * (sorted.length - 1);
            int below = (int) Math.floor(position);
            int above = Math.min(below + 1, sorted.length - 1);
            q[k] = sorted[below] + (position - below) * (sorted[above] - sorted[below]);
        }
        return q;
    }

    /** The sweep over {@code n} quantile bins of {@code scores} (RouteLLM uses n = 10). */
    public static ThresholdSweep over(double[] scores, int n) {
        return new ThresholdSweep(quantiles(scores, n));
    }

    /** The thresholds, from the lowest (everything to strong) to the highest (nothing to strong). */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** Whether an item with router score {@code score} goes to the strong model at sweep point {@code point}. */
    public boolean routesToStrong(int point, double score) {
        return point < thresholds.length - 1 ? score >= thresholds[point] : score > thresholds[point];
    }

    /**
     * The curve a two-model router traces over this sweep, from recorded outcomes: item i has router
     * score {@code scores[i]} and would score {@code strong[i]} with the strong model and
     * {@code weak[i]} with the weak one.
     */
    public RouterCurve curve(double[] scores, double[] strong, double[] weak) {
        if (strong.length != scores.length || weak.length != scores.length) {
            throw new IllegalArgumentException("one router score and two outcomes per item");
        }
        List<OperatingPoint> points = new ArrayList<>(thresholds.length);
        for (int p = 0; p < thresholds.length; p++) {
            int strongCalls = 0;
            double total = 0;
            for (int i = 0; i < scores.length; i++) {
                if (routesToStrong(p, scores[i])) {
                    strongCalls++;
                    total += strong[i];
                } else {
                    total += weak[i];
                }
            }
            points.add(new OperatingPoint((double) strongCalls / scores.length, total / scores.length));
        }
        return RouterCurve.of(points);
    }
}
