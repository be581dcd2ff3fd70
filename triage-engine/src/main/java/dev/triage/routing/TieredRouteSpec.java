package dev.triage.routing;

import dev.triage.chat.Money;
import java.time.ZoneId;
import java.util.List;

/**
 * Strategy 2: cost tiers with daily budgets. {@code tiers} are ordered from the most to the least
 * expensive (the seed's high, medium, low); a spent tier downgrades to the next one.
 *
 * @param zone the time zone whose midnight starts a new budget day (UTC by default)
 */
public record TieredRouteSpec(String name, List<Tier> tiers, ZoneId zone, QualityFloor floor) implements RouteSpec {

    public TieredRouteSpec {
        tiers = List.copyOf(tiers);
    }

    /**
     * @param name        tier name ({@code high}, {@code medium}, {@code low}, or any other)
     * @param models      models of the tier, in order of preference (the later ones are fallbacks)
     * @param dailyBudget what the tier may spend per day; null = unlimited
     */
    public record Tier(String name, List<String> models, Money dailyBudget) {
        public Tier {
            models = List.copyOf(models);
        }
    }
}
