package dev.triage.config;

import dev.triage.routing.CheapestRouteSpec;
import dev.triage.routing.QualityFloor;
import java.util.List;

/** Reads {@code policy: cheapest} routes: the models to choose from (each served by a configured provider) and a model floor. */
public final class CheapestRouteReader implements RoutePolicyReader {

    @Override
    public Form form() {
        return Form.of(CheapestRouteSpec.POLICY, "models", "quality_floor");
    }

    @Override
    public CheapestRouteSpec read(String name, Mapping r, RouteReader routes) {
        List<String> models = routes.models(r, "models", "a cheapest route needs at least one model, e.g. models: [gpt-4.1-mini,"
                + " gemini-2.5-flash]", "this route");
        QualityFloor floor = routes.floor(r, null);
        return models.isEmpty() ? null : new CheapestRouteSpec(name, models, floor);
    }
}
