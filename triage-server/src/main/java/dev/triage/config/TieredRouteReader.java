package dev.triage.config;

import dev.triage.chat.Money;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.TieredRouteSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code policy: tiered} routes: tiers from the most to the least expensive, each with models and a daily budget, a time zone and a tier or model floor. */
public final class TieredRouteReader implements RoutePolicyReader {

    private static final List<String> TIER_KEYS = List.of("models", "daily_budget_usd");

    @Override
    public Form form() {
        return Form.of(TieredRouteSpec.POLICY, "time_zone", "tiers", "quality_floor");
    }

    @Override
    public TieredRouteSpec read(String name, Mapping r, RouteReader routes) {
        Mapping tiers = r.mapping("tiers");
        if (r.keyNode("tiers") == null) {
            r.missing("tiers", "from the most to the least expensive, e.g. tiers: {high: {models: [gpt-4.1]},"
                    + " low: {models: [gpt-4.1-mini]}}");
        } else if (!tiers.wrongType() && tiers.keys().isEmpty()) {
            r.error("tiers", "a tiered route needs at least one tier");
        }
        List<TieredRouteSpec.Tier> read = new ArrayList<>();
        for (String tier : tiers.keys()) {
            if (!Mapping.isName(tier)) {
                routes.error(tiers.keyNode(tier), tiers.pathOf(tier),
                        "a tier name uses letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
            Mapping t = tiers.mapping(tier);
            if (!t.wrongType()) {
                read.add(tier(tier, t, routes));
            }
        }
        ZoneId zone = r.text("time_zone").map(String::strip).flatMap(z -> zone(r, z, routes)).orElse(ZoneOffset.UTC);
        QualityFloor floor = routes.floor(r, tiers.keys());
        return new TieredRouteSpec(name, read, zone, floor);
    }

    private static TieredRouteSpec.Tier tier(String name, Mapping t, RouteReader routes) {
        t.allowOnly(TIER_KEYS);
        List<String> models = routes.models(t, "models", "a tier needs at least one model", "this tier");
        Money budget = t.budget("daily_budget_usd").orElse(null);
        return new TieredRouteSpec.Tier(name, models, budget);
    }

    private static Optional<ZoneId> zone(Mapping r, String written, RouteReader routes) {
        try {
            // normalized(): "UTC" and the default are the same value, ZoneOffset.UTC.
            return Optional.of(ZoneId.of(written).normalized());
        } catch (DateTimeException e) {
            String hint = DidYouMean.hint(written, ZoneId.getAvailableZoneIds());
            r.error("time_zone", "unknown time zone '" + written + "'" + (hint.isEmpty()
                    ? " (expected an IANA zone id such as UTC or Europe/Paris)" : hint));
            return Optional.empty();
        }
    }
}
