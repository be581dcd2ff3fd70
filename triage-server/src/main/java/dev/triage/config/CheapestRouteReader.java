package dev.triage.config;

import dev.triage.routing.CheapestRouteSpec;
import dev.triage.routing.QualityFloor;
import java.util.List;

/** Reads {@code policy: cheapest} routes: the models to choose from (each served by a configured provider) and a model floor. */
public final class CheapestRouteReader implements RoutePolicyReader {

    private static final List<String> KEYS = List.of("policy", "models", "quality_floor");

    @Override
    public String policy() {
        return CheapestRouteSpec.POLICY;
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public CheapestRouteSpec read(String name, Mapping r, RouteReader routes) {
        List<String> models = routes.models(r, "models", "a cheapest route needs at least one model, e.g. models: [gpt-4.1-mini,"
                + " gemini-2.5-flash]", "this route");
        QualityFloor floor = routes.floor(r, null);
        return models.isEmpty() ? null : new CheapestRouteSpec(name, models, floor);
    }
}
