package dev.triage.simulate.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AxisTest {

    @Test
    void stepsAreTheSmallestOneTwoOrFiveTimesAPowerOfTenAtLeastTheRawStep() {
        assertThat(Axis.niceStep(0.00084)).isEqualByComparingTo("0.001");
        assertThat(Axis.niceStep(0.048)).isEqualByComparingTo("0.05");
        assertThat(Axis.niceStep(0.2)).isEqualByComparingTo("0.2");
        assertThat(Axis.niceStep(0.21)).isEqualByComparingTo("0.5");
        assertThat(Axis.niceStep(3)).isEqualByComparingTo("5");
        assertThat(Axis.niceStep(7)).isEqualByComparingTo("10");
        assertThat(Axis.niceStep(0.000123)).isEqualByComparingTo("0.0002");
    }

    @Test
    void aLinearAxisPadsTheDataAndEndsOnWholeSteps() {
        Axis axis = Axis.linear(0.6, 0.9, 7, 0.06, false);

        assertThat(axis.lo()).isEqualTo(0.55);
        assertThat(axis.hi()).isEqualTo(0.95);
        assertThat(axis.ticks()).extracting(BigDecimal::toPlainString)
                .containsExactly("0.55", "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90", "0.95");
        assertThat(axis.decimals(axis.ticks().getFirst())).isEqualTo(2);
        assertThat(axis.fraction(0.75)).isEqualTo(0.5);
    }

    @Test
    void aCostAxisStartsAtZero() {
        Axis axis = Axis.linear(0.000063, 0.00569, 7, 0.04, true);

        assertThat(axis.lo()).isZero();
        assertThat(axis.ticks()).extracting(t -> t.stripTrailingZeros().toPlainString())
                .containsExactly("0", "0.001", "0.002", "0.003", "0.004", "0.005", "0.006");
        assertThat(axis.decimals(BigDecimal.ZERO)).isEqualTo(3);
    }

    @Test
    void aSingleValueGetsAnAxisAroundIt() {
        Axis axis = Axis.linear(0.8, 0.8, 7, 0.06, false);

        assertThat(axis.lo()).isLessThan(0.8);
        assertThat(axis.hi()).isGreaterThan(0.8);
        CostQualityPlotTest.assertOneTwoFiveSteps(axis.ticks());
    }

    @Test
    void aShortLogAxisLabelsEveryOneTwoFiveValue() {
        Axis axis = Axis.log(0.0000262, 0.00331);

        assertThat(axis.lo()).isEqualTo(0.00002);
        assertThat(axis.hi()).isEqualTo(0.005);
        assertThat(axis.ticks()).extracting(BigDecimal::toPlainString)
                .containsExactly("0.00002", "0.00005", "0.0001", "0.0002", "0.0005", "0.001", "0.002", "0.005");
        assertThat(axis.gridOnly()).extracting(BigDecimal::toPlainString).contains("0.00003", "0.0003", "0.004");
        assertThat(axis.fraction(0.0001)).isCloseTo(Math.log10(5) / Math.log10(250), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aLongLogAxisLabelsOnlyThePowersOfTen() {
        Axis axis = Axis.log(0.00001, 0.1);

        assertThat(axis.lo()).isEqualTo(0.000005);
        assertThat(axis.hi()).isEqualTo(0.2);
        assertThat(axis.ticks()).extracting(BigDecimal::toPlainString)
                .containsExactly("0.00001", "0.0001", "0.001", "0.01", "0.1");
        assertThat(axis.gridOnly()).extracting(BigDecimal::toPlainString).contains("0.000005", "0.00002", "0.2");
        assertThat(axis.decimals(new BigDecimal("0.00001"))).isEqualTo(5);
    }
}
