package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** PGR, APGR and CPT on curves small enough to work out by hand. Weak quality 0.6, strong 0.8 throughout. */
class RouterCurveTest {

    private static final Offset<Double> EXACT = within(1e-12);
    private static final PerformanceGap GAP = new PerformanceGap(0.6, 0.8);

    private static OperatingPoint at(double share, double quality) {
        return new OperatingPoint(share, quality);
    }

    private static RouterCurve curve(OperatingPoint... points) {
        return RouterCurve.of(List.of(points));
    }

    @Test
    void pgrIsTheShareOfTheWeakToStrongGapClosed() {
        assertThat(GAP.recovered(0.6)).isCloseTo(0.0, EXACT);
        assertThat(GAP.recovered(0.7)).isCloseTo(0.5, EXACT);
        assertThat(GAP.recovered(0.8)).isCloseTo(1.0, EXACT);
        assertThat(GAP.recovered(0.85)).isCloseTo(1.25, EXACT); // better than the strong model alone
        assertThat(GAP.recovered(0.55)).isCloseTo(-0.25, EXACT);
    }

    @Test
    void aStraightLineFromWeakToStrongHasApgrOneHalf() {
        assertThat(curve(at(0, 0.6), at(1, 0.8)).apgr(GAP)).isCloseTo(0.5, EXACT);
        assertThat(curve(at(0, 0.6), at(0.3, 0.66), at(0.7, 0.74), at(1, 0.8)).apgr(GAP)).isCloseTo(0.5, EXACT);
    }

    @Test
    void aCurveReachingStrongQualityAtHalfTheCallsHasApgrThreeQuarters() {
        // triangle 0..0.5 under a rise from PGR 0 to 1 (area 0.25), then PGR 1 for the other half (0.5)
        assertThat(curve(at(0, 0.6), at(0.5, 0.8), at(1, 0.8)).apgr(GAP)).isCloseTo(0.75, EXACT);
    }

    @Test
    void missingEndpointsAreTheWeakModelAtZeroAndTheStrongModelAtOne() {
        RouterCurve onlyTheMiddle = curve(at(0.5, 0.8));
        assertThat(onlyTheMiddle.apgr(GAP)).isCloseTo(0.75, EXACT);
        assertThat(onlyTheMiddle.points()).containsExactly(at(0.5, 0.8));
        assertThat(curve(at(0.5, 0.7)).apgr(0.6, 0.8)).isCloseTo(0.5, EXACT);
    }

    @Test
    void measuredEndpointsAreKeptAsMeasured() {
        // a strategy whose 0% point is above the weak model (a three-model cascade, say): 0.25 + 0.5·(0.25+1)/2
        RouterCurve curve = curve(at(0, 0.65), at(0.5, 0.8), at(1, 0.8));
        assertThat(curve.apgr(GAP)).isCloseTo(0.5 * (0.25 + 1) / 2 + 0.5, EXACT);
    }

    @Test
    void pointsAreSortedByStrongShare() {
        RouterCurve curve = curve(at(1, 0.8), at(0.5, 0.8), at(0, 0.6));
        assertThat(curve.points()).extracting(OperatingPoint::strongCallShare).containsExactly(0.0, 0.5, 1.0);
        assertThat(curve.apgr(GAP)).isCloseTo(0.75, EXACT);
    }

    @Test
    void pointsAtTheSameShareAreMergedIntoTheirMeanQuality() {
        RouterCurve curve = curve(at(0, 0.6), at(0.5, 0.8), at(0.5, 0.7), at(1, 0.8));
        assertThat(curve.points()).hasSize(3);
        assertThat(curve.points().get(1).quality()).isCloseTo(0.75, EXACT);
        // PGR 0 -> 0.75 -> 1: 0.5·0.375 + 0.5·0.875
        assertThat(curve.apgr(GAP)).isCloseTo(0.625, EXACT);
        assertThat(curve.cpt(0.75, GAP).getAsDouble()).isCloseTo(0.5, EXACT);
    }

    @Test
    void cptInterpolatesInsideTheFirstSegmentThatReachesTheTarget() {
        // PGR 0, 0.2, 0.6, 1 at shares 0, 0.2, 0.4, 1
        RouterCurve curve = curve(at(0, 0.6), at(0.2, 0.64), at(0.4, 0.72), at(1, 0.8));
        assertThat(curve.cpt(0.2, GAP).getAsDouble()).isCloseTo(0.2, EXACT);
        assertThat(curve.cpt(0.5, GAP).getAsDouble()).isCloseTo(0.2 + 0.3 / 0.4 * 0.2, EXACT); // 0.35
        assertThat(curve.cpt(0.8, GAP).getAsDouble()).isCloseTo(0.4 + 0.2 / 0.4 * 0.6, EXACT); // 0.7
        assertThat(curve.cpt(0.0, GAP)).hasValue(0.0);
        assertThat(curve.cpt(1.0, GAP).getAsDouble()).isCloseTo(1.0, EXACT);
    }

    @Test
    void cptIsTheMinimumShareEvenWhenTheCurveDips() {
        // PGR 0, 0.6, 0.4, 1 at 0, 0.3, 0.5, 1: PGR first reaches 0.5 at 0.3·(0.5/0.6)
        RouterCurve dips = curve(at(0, 0.6), at(0.3, 0.72), at(0.5, 0.68), at(1, 0.8));
        assertThat(dips.cpt(0.5, GAP).getAsDouble()).isCloseTo(0.25, EXACT);
    }

    @Test
    void cptCanBeBelowTheFullGapWhenRoutingBeatsTheStrongModel() {
        // an oracle-like point: PGR 1.5 at 30% strong calls, so PGR 1 is reached at 0.3·(1/1.5)
        RouterCurve oracle = curve(at(0, 0.6), at(0.3, 0.9), at(1, 0.8));
        assertThat(oracle.cpt(1.0, GAP).getAsDouble()).isCloseTo(0.2, EXACT);
    }

    @Test
    void cptIsEmptyWhenTheCurveNeverGetsThere() {
        RouterCurve curve = curve(at(0, 0.6), at(1, 0.8));
        assertThat(curve.cpt(1.01, GAP)).isEmpty();
        RouterCurve belowStrong = curve(at(0, 0.6), at(1, 0.7)); // PGR 0.5 at 100% strong calls
        assertThat(belowStrong.cpt(0.8, GAP)).isEmpty();
        assertThat(belowStrong.cpt(0.5, GAP).getAsDouble()).isCloseTo(1.0, EXACT);
        assertThat(belowStrong.cpt(0.4, GAP).getAsDouble()).isCloseTo(0.8, EXACT);
    }

    @Test
    void aZeroGapIsDegenerateAndTheMetricsSaySo() {
        PerformanceGap none = new PerformanceGap(0.7, 0.7);
        assertThat(none.isDegenerate()).isTrue();
        assertThat(GAP.isDegenerate()).isFalse();
        RouterCurve curve = curve(at(0, 0.7), at(1, 0.7));
        String why = "the strong and weak model have the same mean quality (0.7): there is no performance gap,"
                + " so PGR, APGR and CPT are undefined";
        assertThatThrownBy(() -> curve.apgr(none)).isInstanceOf(IllegalStateException.class).hasMessage(why);
        assertThatThrownBy(() -> curve.cpt(0.5, 0.7, 0.7)).isInstanceOf(IllegalStateException.class).hasMessage(why);
        assertThatThrownBy(() -> none.recovered(0.7)).hasMessage(why);
    }

    @Test
    void operatingPointsOutsideTheUnitShareAreRejected() {
        assertThatThrownBy(() -> at(1.2, 0.7)).hasMessageContaining("strongCallShare must be in [0, 1]");
        assertThatThrownBy(() -> RouterCurve.of(List.of())).hasMessageContaining("at least one");
    }
}
