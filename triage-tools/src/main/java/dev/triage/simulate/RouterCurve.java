package dev.triage.simulate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A strategy's cost–quality curve: its operating points, one per knob setting, ordered by strong-call
 * share, and the two summaries RouteLLM (Ong et al., arXiv 2406.18665, §2, metrics) defines on it.
 *
 * <ul>
 *   <li><b>APGR</b>, average performance gap recovered: the area under PGR plotted against the
 *       strong-call share from 0 to 1. 0.5 is what a random router gets; 1 means strong-model quality
 *       at every share.</li>
 *   <li><b>CPT(x%)</b>, call-performance threshold: the smallest strong-call share at which PGR
 *       reaches x%. Lower is cheaper.</li>
 * </ul>
 *
 * <p>Exactly what is computed, so figures can be compared with the paper's tables:
 * <ol>
 *   <li>Points with the same strong-call share are merged into one with their mean quality (ties in
 *       router scores, or a knob that stops mattering, give repeated shares; without merging, the
 *       curve's shape would depend on their order).</li>
 *   <li>When the points have no share of exactly 0 or 1, the endpoints {@code (0, q_weak)} and
 *       {@code (1, q_strong)} are added: the paper's threshold sweep includes both (its lowest threshold
 *       sends everything to the strong model, its highest nothing), so the area always spans [0, 1].
 *       A point already at 0 or 1 is kept as measured.</li>
 *   <li>APGR is the trapezoid rule over the points' (share, PGR). It equals the reference
 *       implementation's {@code (AUC − AUC_weak) / (AUC_strong − AUC_weak)} (RouteLLM
 *       {@code routellm/evals/evaluate.py}) once the curve spans [0, 1].</li>
 *   <li>CPT walks the points by share and returns the first share with PGR ≥ x (within 1e-9, for
 *       floating-point noise), interpolating linearly inside the first segment that crosses x. On a rising curve this is the same as the
 *       reference's {@code np.interp}; on a curve that dips, it is still the minimum share.</li>
 * </ol>
 */
public final class RouterCurve {

    // Mean qualities summed in different orders differ in the last bits; a PGR this close counts as reached.
    private static final double TOLERANCE = 1e-9;

    private final List<OperatingPoint> points;

    private RouterCurve(List<OperatingPoint> points) {
        this.points = points;
    }

    /** The curve through {@code points}, in any order; repeated shares are merged (see above). */
    public static RouterCurve of(List<OperatingPoint> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a curve needs at least one operating point");
        }
        List<OperatingPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(OperatingPoint::strongCallShare));
        List<OperatingPoint> merged = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            double share = sorted.get(i).strongCallShare();
            double sum = 0;
            int j = i;
            for (; j < sorted.size() && sorted.get(j).strongCallShare() == share; j++) {
                sum += sorted.get(j).quality();
            }
            merged.add(new OperatingPoint(share, sum / (j - i)));
            i = j;
        }
        return new RouterCurve(List.copyOf(merged));
    }

    /** The operating points, by rising strong-call share, one per share. */
    public List<OperatingPoint> points() {
        return points;
    }

    /** APGR for this gap; throws {@link IllegalStateException} when the gap is degenerate. */
    public double apgr(PerformanceGap gap) {
        gap.requireGap();
        List<OperatingPoint> curve = withEndpoints(gap);
        double area = 0;
        for (int i = 1; i < curve.size(); i++) {
            OperatingPoint a = curve.get(i - 1);
            OperatingPoint b = curve.get(i);
            area += (b.strongCallShare() - a.strongCallShare())
                    * (gap.recovered(a.quality()) + gap.recovered(b.quality())) / 2;
        }
        return area;
    }

    /** APGR between a weak model of mean quality {@code qWeak} and a strong one of {@code qStrong}. */
    public double apgr(double qWeak, double qStrong) {
        return apgr(new PerformanceGap(qWeak, qStrong));
    }

    /**
     * CPT: the smallest strong-call share (0 to 1) at which PGR reaches {@code targetPgr} (0.5 for
     * CPT(50%)), or empty when the curve never gets there. Throws when the gap is degenerate.
     */
    public OptionalDouble cpt(double targetPgr, PerformanceGap gap) {
        gap.requireGap();
        List<OperatingPoint> curve = withEndpoints(gap);
        double previousPgr = gap.recovered(curve.getFirst().quality());
        if (previousPgr >= targetPgr - TOLERANCE) {
            return OptionalDouble.of(curve.getFirst().strongCallShare());
        }
        for (int i = 1; i < curve.size(); i++) {
            double pgr = gap.recovered(curve.get(i).quality());
            if (pgr >= targetPgr - TOLERANCE) {
                double from = curve.get(i - 1).strongCallShare();
                double to = curve.get(i).strongCallShare();
                double along = Math.min(1, (targetPgr - previousPgr) / (pgr - previousPgr));
                return OptionalDouble.of(from + along * (to - from));
            }
            previousPgr = pgr;
        }
        return OptionalDouble.empty();
    }

    /** CPT between a weak model of mean quality {@code qWeak} and a strong one of {@code qStrong}. */
    public OptionalDouble cpt(double targetPgr, double qWeak, double qStrong) {
        return cpt(targetPgr, new PerformanceGap(qWeak, qStrong));
    }

    private List<OperatingPoint> withEndpoints(PerformanceGap gap) {
        List<OperatingPoint> curve = new ArrayList<>(points.size() + 2);
        if (points.getFirst().strongCallShare() > 0) {
            curve.add(new OperatingPoint(0, gap.weakQuality()));
        }
        curve.addAll(points);
        if (points.getLast().strongCallShare() < 1) {
            curve.add(new OperatingPoint(1, gap.strongQuality()));
        }
        return curve;
    }

    @Override
    public String toString() {
        return "RouterCurve" + points;
    }
}
