package dev.triage.simulate.plot;

import java.util.List;

/**
 * How cost maps to the horizontal axis.
 *
 * <p>Linear is the default because it keeps the random router a straight line between the two
 * single models, the baseline every curve is judged against. Only when costs span more than
 * {@value #LOG_SPAN}x does {@link #AUTO} switch to log: a linear axis would then crush the cheap
 * strategies into its first percent.
 */
public enum CostScale {
    LINEAR,
    /** Log scale; every cost must be positive. */
    LOG,
    /** Linear unless all costs are positive and the largest is over {@value #LOG_SPAN} times the smallest. */
    AUTO;

    /** The cost ratio above which {@link #AUTO} chooses a log axis. */
    public static final int LOG_SPAN = 100;

    boolean useLog(List<Double> costs) {
        return switch (this) {
            case LINEAR -> false;
            case LOG -> {
                for (double cost : costs) {
                    if (cost <= 0) {
                        throw new IllegalArgumentException("a log cost axis cannot show a cost of $" + cost);
                    }
                }
                yield true;
            }
            case AUTO -> {
                double min = costs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                double max = costs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                yield min > 0 && max / min > LOG_SPAN;
            }
        };
    }
}
