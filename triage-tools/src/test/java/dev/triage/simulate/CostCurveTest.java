package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.triage.simulate.CostCurve.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The curves the many-model metrics are read from, on small cases worked out by hand. */
class CostCurveTest {

    private static final double EPS = 1e-9;

    @Test
    void aDearerPointOfLowerQualityLeavesTheCurveFlatUntilARisingSegmentCrossesIt() {
        CostCurve c = CostCurve.through(List.of(new Point(4, 0.9), new Point(2, 0.7), new Point(1, 0.5), new Point(3, 0.6)));
        // (3, 0.6) -> (4, 0.9) crosses 0.7 at 3 + 0.1 / 0.3
        assertThat(c.breakpoints()).hasSize(5);
        assertThat(c.breakpoints().get(3).cost()).isCloseTo(3 + 1.0 / 3, within(EPS));
        assertThat(c.qualityAt(0.5)).isEmpty();
        assertThat(c.qualityAt(1).getAsDouble()).isCloseTo(0.5, within(EPS));
        assertThat(c.qualityAt(1.5).getAsDouble()).isCloseTo(0.6, within(EPS));
        assertThat(c.qualityAt(3).getAsDouble()).isCloseTo(0.7, within(EPS));
        assertThat(c.qualityAt(3.5).getAsDouble()).isCloseTo(0.75, within(EPS));
        assertThat(c.qualityAt(10).getAsDouble()).isCloseTo(0.9, within(EPS));
    }

    @Test
    void theCostToReachAQualityIsInterpolatedOnTheFirstSegmentThatGetsThere() {
        CostCurve c = CostCurve.through(List.of(new Point(1, 0.5), new Point(2, 0.7), new Point(3, 0.6), new Point(4, 0.9)));
        assertThat(c.costToReach(0.4).getAsDouble()).isEqualTo(1);
        assertThat(c.costToReach(0.6).getAsDouble()).isCloseTo(1.5, within(EPS));
        assertThat(c.costToReach(0.8).getAsDouble()).isCloseTo(3 + 1.0 / 3 + 0.5 * (2.0 / 3), within(EPS));
        assertThat(c.costToReach(0.9).getAsDouble()).isCloseTo(4, within(EPS));
        assertThat(c.costToReach(0.95)).isEmpty();
    }

    @Test
    void atEqualCostTheBetterPointCounts() {
        CostCurve c = CostCurve.through(List.of(new Point(1, 0.2), new Point(1, 0.6), new Point(2, 0.4)));
        assertThat(c.qualityAt(1).getAsDouble()).isEqualTo(0.6);
        assertThat(c.qualityAt(2).getAsDouble()).isEqualTo(0.6);
    }

    @Test
    void theFrontierIsTheUpperHullOfTheModelsNoOtherBeats() {
        Point a = new Point(1, 0.5);
        Point b = new Point(2, 0.6);   // Pareto, but under the chord a–d (0.7 at cost 2): a random mix of a and d beats it
        Point c = new Point(2, 0.4);   // dominated by b
        Point d = new Point(3, 0.9);
        Point e = new Point(4, 0.9);   // as good as d, dearer
        assertThat(CostCurve.pareto(List.of(e, d, c, b, a))).containsExactly(a, b, d);
        CostCurve f = CostCurve.frontier(List.of(e, d, c, b, a));
        assertThat(f.breakpoints()).containsExactly(a, d);
        assertThat(f.qualityAt(2).getAsDouble()).isCloseTo(0.7, within(EPS));
        assertThat(f.qualityAt(5).getAsDouble()).isEqualTo(0.9);
        Point above = new Point(2, 0.8);
        assertThat(CostCurve.frontier(List.of(a, above, d)).breakpoints()).containsExactly(a, above, d);
    }

    @Test
    void theMeanGapIsTheAreaBetweenTheCurvesOverTheWidth() {
        CostCurve frontier = CostCurve.frontier(List.of(new Point(1, 0.5), new Point(3, 0.9)));
        CostCurve same = CostCurve.through(List.of(new Point(1, 0.5), new Point(3, 0.9)));
        assertThat(same.meanGapOver(frontier, 1, 3).getAsDouble()).isCloseTo(0, within(EPS));
        // gap 0.1 at 1, 0.1 at 2, 0 at 3: area 0.1 + 0.05 over a width of 2
        CostCurve better = CostCurve.through(List.of(new Point(1, 0.6), new Point(2, 0.8), new Point(3, 0.9)));
        assertThat(better.meanGapOver(frontier, 1, 3).getAsDouble()).isCloseTo(0.075, within(EPS));
        assertThat(frontier.meanGapOver(better, 1, 3).getAsDouble()).isCloseTo(-0.075, within(EPS));
        assertThat(better.meanGapOver(frontier, 0.5, 3)).as("the frontier starts at 1").isEmpty();
        assertThat(better.meanGapOver(frontier, 3, 3)).isEmpty();
    }
}
