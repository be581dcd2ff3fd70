package dev.triage.routing;

import dev.triage.analysis.Complexity;
import dev.triage.analysis.QualityRequirement;
import dev.triage.analysis.TaskProfile;
import dev.triage.budget.DailyBudgets;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Strategy 2: cost tiers with daily budgets. {@code tiers} are ordered from the most to the least
 * expensive (the seed's high, medium, low); a spent tier downgrades to the next one.
 *
 * @param zone the time zone whose midnight starts a new budget day (UTC by default)
 */
public record TieredRouteSpec(String name, List<Tier> tiers, ZoneId zone, QualityFloor floor) implements RouteSpec {

    public static final String POLICY = "tiered";

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

    @Override
    public String policy() {
        return POLICY;
    }

    @Override
    public List<String> models() {
        return tiers.stream().flatMap(t -> t.models().stream()).distinct().toList();
    }

    @Override
    public TieredRouteSpec named(String name) {
        return new TieredRouteSpec(name, tiers, zone, floor);
    }

    @Override
    public TieredRouteSpec renamed(UnaryOperator<String> rename) {
        return new TieredRouteSpec(name, tiers.stream()
                .map(t -> new Tier(t.name(), t.models().stream().map(rename).toList(), t.dailyBudget())).toList(), zone, floor.renamed(rename));
    }

    /** The budget key of one of this route's tiers: budgets belong to a route's tier. */
    public String budgetKey(Tier tier) {
        return name + "/" + tier.name();
    }

    @Override
    public Decision decide(Router router, ChatRequest request, TaskProfile profile, Set<String> spentTiers) {
        List<String> reasons = new ArrayList<>();
        int start = startTier(profile);
        reasons.add("complexity " + profile.complexity().name().toLowerCase() + " with quality " + profile.quality().wireName()
                + " -> tier " + tiers.get(start).name());
        int lowest = tiers.size() - 1;
        if (floor instanceof QualityFloor.Tier(String floorTier)) {
            lowest = indexOf(floorTier);
            if (start > lowest) {
                start = lowest;
                reasons.add("raised to the quality floor, tier " + tiers.get(start).name());
            }
        }
        DailyBudgets budgets = router.budgets(this);
        for (int i = start; i <= lowest; i++) {
            Tier tier = tiers.get(i);
            List<String> models = tier.models().stream().filter(router::servable).toList();
            if (models.isEmpty()) {
                reasons.add("tier " + tier.name() + " has no available model");
                continue;
            }
            Money spent = tier.dailyBudget() == null && !spentTiers.contains(tier.name()) ? null : budgets.spentToday(budgetKey(tier));
            if (spentTiers.contains(tier.name())) {
                reasons.add("tier " + tier.name() + " budget cannot take this request's worst case ($" + spent.toUsdString() + " of $"
                        + (tier.dailyBudget() == null ? "unlimited" : tier.dailyBudget().toUsdString()) + " committed today)");
                continue;
            }
            if (tier.dailyBudget() != null && spent.compareTo(tier.dailyBudget()) >= 0) {
                reasons.add("tier " + tier.name() + " budget spent today ($" + spent.toUsdString() + " of $"
                        + tier.dailyBudget().toUsdString() + ")");
                continue;
            }
            if (tier.dailyBudget() != null) {
                reasons.add("tier " + tier.name() + " spent $" + spent.toUsdString() + " of $" + tier.dailyBudget().toUsdString() + " today");
            }
            return new Decision(name, POLICY, profile, tier.name(), i > start, List.of(new Step(null, models, null, null, false)),
                    scorer(), reasons);
        }
        String floorNote = lowest < tiers.size() - 1 ? " down to the quality floor (tier " + tiers.get(lowest).name() + ")" : "";
        throw new RoutingException(429, "budget_exhausted", "Every tier of route '" + name + "'" + floorNote
                + " has spent its daily budget; budgets reset at midnight " + zoneName() + " (" + budgets.nextReset() + ")",
                budgets.untilReset());
    }

    /** The zone's name as people read it: {@code UTC} rather than {@code Z}. */
    public String zoneName() {
        String id = zone.normalized().getId();
        return "Z".equals(id) ? "UTC" : id;
    }

    // The seed's classify_tier: high complexity with a high quality requirement -> high; medium -> medium; else low.
    private int startTier(TaskProfile profile) {
        String wanted;
        if (profile.complexity() == Complexity.HIGH && profile.quality() == QualityRequirement.HIGH) {
            wanted = "high";
        } else if (profile.complexity() == Complexity.MEDIUM || profile.complexity() == Complexity.HIGH) {
            wanted = "medium";
        } else {
            wanted = "low";
        }
        int byName = indexOf(wanted);
        if (byName >= 0) {
            return byName;
        }
        return switch (wanted) {
            case "high" -> 0;
            case "medium" -> tiers.size() / 2;
            default -> tiers.size() - 1;
        };
    }

    private int indexOf(String tierName) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).name().equals(tierName)) {
                return i;
            }
        }
        return -1;
    }
}
