package dev.triage.simulate.plot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One numeric axis: a domain with round ends, tick values in 1-2-5 steps, and where a value falls
 * along the axis. Ticks are BigDecimal so that labels read 0.3, not 0.30000000000000004.
 */
final class Axis {

    private static final int[] ONE_TWO_FIVE = {1, 2, 5};
    /** A log axis spanning up to this many decades labels 1, 2 and 5 of each; a longer one only the 1s. */
    static final double ALL_ONE_TWO_FIVE_DECADES = 3;

    private final double lo;
    private final double hi;
    private final boolean log;
    private final List<BigDecimal> ticks;
    private final List<BigDecimal> gridOnly;
    /** Decimals shared by every tick label of a linear axis; -1 on a log axis, where each tick has its own. */
    private final int decimals;

    private Axis(double lo, double hi, boolean log, List<BigDecimal> ticks, List<BigDecimal> gridOnly, int decimals) {
        this.lo = lo;
        this.hi = hi;
        this.log = log;
        this.ticks = List.copyOf(ticks);
        this.gridOnly = List.copyOf(gridOnly);
        this.decimals = decimals;
    }

    /**
     * A linear axis over [min, max], widened by {@code pad} of the span on each side so no point sits
     * on the frame, then out to whole steps. With {@code fromZero} the axis starts at 0.
     */
    static Axis linear(double min, double max, int targetIntervals, double pad, boolean fromZero) {
        double low;
        double high;
        if (max == min) {
            double half = min == 0 ? 0.5 : Math.abs(min) * 0.05;
            low = min - half;
            high = max + half;
        } else {
            double span = max - min;
            low = min - span * pad;
            high = max + span * pad;
        }
        if (fromZero && min >= 0) {
            low = 0;
        }
        BigDecimal step = niceStep((high - low) / targetIntervals);
        BigDecimal first = BigDecimal.valueOf(low).divide(step, 0, RoundingMode.FLOOR).multiply(step);
        BigDecimal last = BigDecimal.valueOf(high).divide(step, 0, RoundingMode.CEILING).multiply(step);
        List<BigDecimal> ticks = new ArrayList<>();
        for (BigDecimal tick = first; tick.compareTo(last) <= 0; tick = tick.add(step)) {
            ticks.add(tick);
        }
        int decimals = Math.max(0, step.stripTrailingZeros().scale());
        return new Axis(first.doubleValue(), last.doubleValue(), false, ticks, List.of(), decimals);
    }

    /**
     * A log axis from the 1-2-5 value below {@code min} to the one above {@code max}. Up to {@value #ALL_ONE_TWO_FIVE_DECADES} decades
     * every 1-2-5 value is a tick; beyond that only the powers of ten are (even at the ends, whose
     * labels would otherwise crowd the next decade's) and the rest are grid lines.
     */
    static Axis log(double min, double max) {
        if (!(min > 0)) {
            throw new IllegalArgumentException("a log axis needs positive values, got " + min);
        }
        BigDecimal first = oneTwoFiveAtOrBelow(min / 1.1);
        BigDecimal last = oneTwoFiveAtOrAbove(max * 1.1);
        double decades = Math.log10(last.doubleValue() / first.doubleValue());
        List<BigDecimal> ticks = new ArrayList<>();
        List<BigDecimal> gridOnly = new ArrayList<>();
        int fromExponent = exponent(first.doubleValue());
        int toExponent = exponent(last.doubleValue());
        for (int e = fromExponent; e <= toExponent; e++) {
            for (int m = 1; m <= 9; m++) {
                BigDecimal value = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
                if (value.compareTo(first) < 0 || value.compareTo(last) > 0) {
                    continue;
                }
                boolean oneTwoFive = m == 1 || m == 2 || m == 5;
                if (m == 1 || (oneTwoFive && decades <= ALL_ONE_TWO_FIVE_DECADES + 1e-9)) {
                    ticks.add(value);
                } else {
                    gridOnly.add(value);
                }
            }
        }
        return new Axis(first.doubleValue(), last.doubleValue(), true, ticks, gridOnly, -1);
    }

    /** The smallest of 1, 2, 5 or 10 times a power of ten that is at least {@code raw}. */
    static BigDecimal niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            throw new IllegalArgumentException("a tick step must be positive and finite, got " + raw);
        }
        int e = exponent(raw);
        for (int m : new int[] {1, 2, 5, 10}) {
            BigDecimal step = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
            // Tolerance so that a raw step of exactly 0.2 does not round up to 0.5 through a stray bit.
            if (step.doubleValue() >= raw * (1 - 1e-9)) {
                return step.stripTrailingZeros();
            }
        }
        return BigDecimal.ONE.scaleByPowerOfTen(e + 1);
    }

    private static BigDecimal oneTwoFiveAtOrBelow(double v) {
        int e = exponent(v);
        for (int i = ONE_TWO_FIVE.length - 1; i >= 0; i--) {
            BigDecimal value = BigDecimal.valueOf(ONE_TWO_FIVE[i]).scaleByPowerOfTen(e);
            if (value.doubleValue() <= v) {
                return value;
            }
        }
        return BigDecimal.valueOf(5).scaleByPowerOfTen(e - 1);
    }

    private static BigDecimal oneTwoFiveAtOrAbove(double v) {
        int e = exponent(v);
        for (int m : ONE_TWO_FIVE) {
            BigDecimal value = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
            if (value.doubleValue() >= v) {
                return value;
            }
        }
        return BigDecimal.ONE.scaleByPowerOfTen(e + 1);
    }

    private static int exponent(double v) {
        return (int) Math.floor(Math.log10(v));
    }

    /** Where {@code value} falls, from 0 at the low end to 1 at the high end. */
    double fraction(double value) {
        if (log) {
            return (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return (value - lo) / (hi - lo);
    }

    double lo() {
        return lo;
    }

    double hi() {
        return hi;
    }

    boolean isLog() {
        return log;
    }

    /** Labelled tick values, ascending. */
    List<BigDecimal> ticks() {
        return ticks;
    }

    /** Values that get a grid line but no label (the 3, 4, 6... of a log axis). */
    List<BigDecimal> gridOnly() {
        return gridOnly;
    }

    /** Decimals for the label of {@code tick}: the step's on a linear axis, the tick's own on a log axis. */
    int decimals(BigDecimal tick) {
        return decimals >= 0 ? decimals : Math.max(0, tick.stripTrailingZeros().scale());
    }
}
