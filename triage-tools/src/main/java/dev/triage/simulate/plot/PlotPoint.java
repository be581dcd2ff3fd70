package dev.triage.simulate.plot;

import dev.triage.chat.Money;

/**
 * One operating point of a strategy.
 *
 * <p>The cost is a double because it is only a position on the page; the exact {@link Money} stays in
 * the simulator's tables.
 *
 * @param costPerRequestUsd mean cost of one request in US dollars, not negative
 * @param quality mean score, in the unit of the plot's {@link QualityAxis}
 * @param label optional note shown beside the point when there is room, e.g. {@code "t=0.7"}; may be null
 */
public record PlotPoint(double costPerRequestUsd, double quality, String label) {

    public PlotPoint {
        if (!Double.isFinite(costPerRequestUsd) || costPerRequestUsd < 0) {
            throw new IllegalArgumentException("cost per request must be a finite, non-negative number of USD: " + costPerRequestUsd);
        }
        if (!Double.isFinite(quality)) {
            throw new IllegalArgumentException("quality must be a finite number: " + quality);
        }
    }

    public PlotPoint(double costPerRequestUsd, double quality) {
        this(costPerRequestUsd, quality, null);
    }

    /** A point whose cost is exact money, e.g. the simulator's mean cost per request. */
    public static PlotPoint of(Money costPerRequest, double quality, String label) {
        return new PlotPoint(costPerRequest.usd().doubleValue(), quality, label);
    }
}
