package dev.triage.simulate;

import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TieredRouteSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a config route onto a dataset: every model the route names must have recorded outcomes, or be
 * mapped to a model that has ({@code --map route_model=dataset_model}); anything else is refused.
 */
public final class RouteModels {

    private RouteModels() {
    }

    public static RouteSpec map(RouteSpec route, Map<String, String> mapping, Set<String> datasetModels) {
        Set<String> missing = new LinkedHashSet<>();
        java.util.function.UnaryOperator<String> m = id -> {
            if (id == null) {
                return null;
            }
            String to = mapping.getOrDefault(id, id);
            if (!datasetModels.contains(to)) {
                missing.add(id);
            }
            return to;
        };
        RouteSpec mapped = switch (route) {
            case TaskRouteSpec t -> {
                Map<dev.triage.analysis.TaskType, TaskRouteSpec.Rule> rules = new LinkedHashMap<>();
                t.rules().forEach((type, r) -> rules.put(type, new TaskRouteSpec.Rule(m.apply(r.model()), r.threshold(),
                        m.apply(r.fallback()), r.maxInputTokens(), r.maxLatency(), r.thinking())));
                yield new TaskRouteSpec(t.name(), rules, t.defaultTask(), t.scorer(), floor(t.floor(), m));
            }
            case TieredRouteSpec t -> {
                List<TieredRouteSpec.Tier> tiers = new ArrayList<>();
                for (TieredRouteSpec.Tier tier : t.tiers()) {
                    tiers.add(new TieredRouteSpec.Tier(tier.name(), tier.models().stream().map(m).toList(), tier.dailyBudget()));
                }
                yield new TieredRouteSpec(t.name(), tiers, t.zone(), t.floor());
            }
            case CascadeRouteSpec c -> new CascadeRouteSpec(c.name(), c.stages().stream()
                    .map(s -> new CascadeRouteSpec.Stage(m.apply(s.model()), s.acceptConfidence())).toList(), c.scorer(), floor(c.floor(), m));
            case dev.triage.routing.LearnedRouteSpec l -> new dev.triage.routing.LearnedRouteSpec(l.name(), l.model(), l.modelFile(),
                    l.candidates().stream().map(m).toList(), l.tolerance(), floor(l.floor(), m));
        };
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("route '" + route.name() + "' names models the dataset has no outcomes for: "
                    + String.join(", ", missing) + "; map them with --map MODEL=" + String.join("|", datasetModels));
        }
        return mapped;
    }

    private static QualityFloor floor(QualityFloor floor, java.util.function.UnaryOperator<String> m) {
        return floor.model() == null ? floor : new QualityFloor(floor.tier(), m.apply(floor.model()));
    }
}
