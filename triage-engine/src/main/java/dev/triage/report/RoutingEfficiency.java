package dev.triage.report;

import dev.triage.chat.Money;
import java.math.BigDecimal;
import java.util.List;

/**
 * How much quality per dollar routing buys, compared with sending every request of a route to the
 * route's strongest model (the seed's 成本质量比).
 *
 * <p>For a route {@code r} with strongest model {@code S} (the highest input + output price per token
 * among the models its policy names): {@code C_a} is what its attempts really cost; {@code C_s} is the
 * strong-only counterfactual, each answered request re-priced once at {@code S}'s prices from the
 * answering attempt's real token counts; {@code q = Q_a / Q_s} is the quality retained, the mean
 * feedback score of the route's requests over that of requests answered by {@code S}, used only when
 * both have enough feedback (else 1, and {@code qualityAdjusted} is false). Then
 * {@code efficiency = q × C_s / C_a}: above 1 routing buys more quality per dollar than strong-only.
 * Overall, {@code Σ q·C_s / Σ C_a} over the routes.
 *
 * @param routes  one line per configured route with answered requests in the period
 * @param overall the routes together, null when there are none
 */
public record RoutingEfficiency(List<RouteLine> routes, Summary overall) {

    /**
     * @param answered         answered requests of the route
     * @param actualCost       C_a, all attempts of the route
     * @param strongOnlyCost   C_s
     * @param quality          feedback on the route's requests
     * @param strongQuality    feedback on requests answered by the strongest model (any route)
     * @param qualityRetainedPct q × 100 (100 when not quality-adjusted)
     * @param costPctOfStrong  C_a / C_s × 100, null when C_s is zero
     * @param efficiency       q × C_s / C_a, null when C_a is zero
     */
    public record RouteLine(String route, String strongestModel, long answered, Money actualCost, Money strongOnlyCost,
                            Report.Score quality, Report.Score strongQuality, boolean qualityAdjusted,
                            BigDecimal qualityRetainedPct, BigDecimal costPctOfStrong, BigDecimal efficiency) {
    }

    /**
     * @param rating {@code good} (efficiency at least 2), {@code fair} (at least 1) or {@code poor}
     */
    public record Summary(Money actualCost, Money strongOnlyCost, BigDecimal costPctOfStrong, BigDecimal efficiency,
                          String rating) {
    }
}
