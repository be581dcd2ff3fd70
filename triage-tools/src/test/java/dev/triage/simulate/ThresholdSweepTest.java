package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdSweepTest {

    @Test
    void tenBinsOfElevenEvenlySpacedScoresAreTheScoresThemselves() {
        double[] scores = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        assertThat(ThresholdSweep.quantiles(scores, 10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void quantilesInterpolateLinearlyBetweenOrderStatistics() {
        // positions k/4·3 = 0, 0.75, 1.5, 2.25, 3 among 1 2 3 4
        assertThat(ThresholdSweep.quantiles(new double[] {4, 1, 3, 2}, 4))
                .containsExactly(new double[] {1, 1.75, 2.5, 3.25, 4}, within(1e-12));
    }

    @Test
    void repeatedScoresGiveRepeatedThresholds() {
        assertThat(ThresholdSweep.quantiles(new double[] {0, 0, 0, 1}, 2)).containsExactly(0, 0, 1);
    }

    @Test
    void theInputIsNotReordered() {
        double[] scores = {3, 1, 2};
        ThresholdSweep.quantiles(scores, 2);
        assertThat(scores).containsExactly(3, 1, 2);
    }

    @Test
    void theFirstPointSendsEverythingToStrongAndTheLastNothing() {
        ThresholdSweep sweep = ThresholdSweep.over(new double[] {0.1, 0.2, 0.3, 0.4}, 2); // 0.1, 0.25, 0.4
        assertThat(sweep.thresholds()).containsExactly(new double[] {0.1, 0.25, 0.4}, within(1e-12));
        assertThat(sweep.routesToStrong(0, 0.1)).isTrue();
        assertThat(sweep.routesToStrong(1, 0.25)).isTrue();
        assertThat(sweep.routesToStrong(1, 0.2)).isFalse();
        assertThat(sweep.routesToStrong(2, 0.4)).isFalse();
    }

    @Test
    void theCurveOfASweepComesFromTheRecordedOutcomes() {
        double[] scores = {0.1, 0.2, 0.3, 0.4};
        double[] strong = {1, 1, 0, 1};
        double[] weak = {0, 1, 1, 0};
        RouterCurve curve = ThresholdSweep.over(scores, 2).curve(scores, strong, weak);
        // 0.1: all strong (0.75); 0.25: items 3, 4 strong -> 0 + 1 + 0 + 1; > 0.4: all weak (0.5)
        assertThat(curve.points()).containsExactly(
                new OperatingPoint(0, 0.5), new OperatingPoint(0.5, 0.5), new OperatingPoint(1, 0.75));
        // PGR 0, 0, 1: the area of the last half's triangle
        assertThat(curve.apgr(0.5, 0.75)).isCloseTo(0.25, within(1e-12));
        assertThat(curve.cpt(0.5, 0.5, 0.75).getAsDouble()).isCloseTo(0.75, within(1e-12));
    }
}
