package dev.triage.simulate;

import dev.triage.chat.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * A strategy at one operating point, over the whole dataset.
 *
 * @param name        the strategy
 * @param point       the operating point (e.g. {@code t=0.85}) for strategies with a knob, else null
 * @param description what the strategy does, in a few words
 * @param items       per-item results (empty for averaged references such as {@code random})
 * @param quality     mean score
 * @param strongShare share of items that called the strong model, 0..1
 * @param totalCost   cost of every item together
 * @param count       number of items
 */
public record StrategyResult(String name, String point, String description, List<ItemResult> items, double quality,
                             double strongShare, Money totalCost, int count) {

    public static StrategyResult of(String name, String point, String description, List<ItemResult> items, String strongModel) {
        double quality = 0;
        int strong = 0;
        Money total = Money.ZERO;
        for (ItemResult r : items) {
            quality += r.quality();
            total = total.plus(r.cost());
            if (r.calls().contains(strongModel)) {
                strong++;
            }
        }
        int n = items.size();
        return new StrategyResult(name, point, description, items, n == 0 ? 0 : quality / n, n == 0 ? 0 : (double) strong / n, total, n);
    }

    /** Mean cost per request in USD (exact total, divided with 12 significant digits). */
    public BigDecimal costPerRequestUsd() {
        return count == 0 ? BigDecimal.ZERO : totalCost.usd().divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).stripTrailingZeros();
    }
}
