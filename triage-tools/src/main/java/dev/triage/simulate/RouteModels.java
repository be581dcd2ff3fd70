package dev.triage.simulate;

import dev.triage.routing.RouteSpec;
import java.util.LinkedHashSet;
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
        RouteSpec mapped = route.renamed(m);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("route '" + route.name() + "' names models the dataset has no outcomes for: "
                    + String.join(", ", missing) + "; map them with --map MODEL=" + String.join("|", datasetModels));
        }
        return mapped;
    }
}
