package dev.triage.config;

import dev.triage.routing.LearnedRouteSpec;
import dev.triage.routing.QualityFloor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code policy: learned} routes: the model file (required), the candidates (default: the models in the file this config serves), the tolerance or a price weight, and a model floor. */
public final class LearnedRouteReader implements RoutePolicyReader {

    /** A learned route's default: a cheaper model may be predicted up to this much worse than the best. */
    static final double DEFAULT_TOLERANCE = 0.05;

    @Override
    public Form form() {
        return Form.of(LearnedRouteSpec.POLICY, "model_file", "candidates", "tolerance", "price_weight", "quality_floor");
    }

    /**
     * {@code policy: learned}: the model file (required), the candidates (default: the models in the file
     * this config serves), the tolerance (default {@value #DEFAULT_TOLERANCE}) or instead a price weight (0..100), and a
     * model floor.
     */
    @Override
    public LearnedRouteSpec read(String name, Mapping r, RouteReader routes) {
        Optional<RouteReader.Loaded> file = routes.modelFile(r, "policy learned");
        List<String> candidates = candidates(r, file.orElse(null), routes);
        double tolerance = r.between("tolerance", -1, 1).orElse(DEFAULT_TOLERANCE);
        Optional<Double> priceWeight = r.between("price_weight", 0, LearnedRouteSpec.MAX_PRICE_WEIGHT);
        if (r.has("tolerance") && r.has("price_weight")) {
            r.error("price_weight", "give tolerance (the cheapest model within it of every dearer one) or price_weight"
                    + " (predicted quality less the weight times the price share), not both");
        }
        QualityFloor floor = routes.floor(r, null);
        if (file.isEmpty() || candidates.isEmpty()) {
            return null;
        }
        LearnedRouteSpec.Rule rule = priceWeight.<LearnedRouteSpec.Rule>map(LearnedRouteSpec.PriceWeighted::new)
                .orElseGet(() -> new LearnedRouteSpec.Tolerance(tolerance));
        return new LearnedRouteSpec(name, file.get().model(), file.get().written(), candidates, rule, floor);
    }

    /** The candidates given, each known to the file and served here; when left out, every model of the file that is served. */
    private static List<String> candidates(Mapping r, RouteReader.Loaded file, RouteReader routes) {
        if (r.keyNode("candidates") == null) {
            if (file == null) {
                return List.of();
            }
            List<String> served = file.model().models().stream().filter(routes::served).toList();
            if (served.isEmpty()) {
                r.error("model_file", "none of the models in " + file.written() + " (" + String.join(", ", file.model().models())
                        + ") is served by this config; add them under models: with a provider");
            }
            return served;
        }
        Optional<List<Mapping.Item>> items = r.items("candidates");
        if (items.isPresent() && items.get().isEmpty() || !r.has("candidates")) {
            r.error("candidates", "a learned route needs at least one candidate; leave the key out for every model of the"
                    + " file that this config serves");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Mapping.Item item : items.orElse(List.of())) {
            String id = item.text().strip();
            if (!routes.knows(id)) {
                routes.error(item.node(), item.path(), routes.unknownModel(id));
            } else if (file != null && !file.model().models().contains(id)) {
                routes.error(item.node(), item.path(), "'" + id + "' is not in model file " + file.written() + " (it knows "
                        + String.join(", ", file.model().models()) + ")" + DidYouMean.hint(id, file.model().models()));
            } else if (!routes.served(id)) {
                routes.error(item.node(), item.path(), "'" + id + "' is not served: its provider '" + routes.providerOf(id)
                        + "' is not under providers:");
            } else if (out.contains(id)) {
                routes.error(item.node(), item.path(), "'" + id + "' is already a candidate");
            } else {
                out.add(id);
            }
        }
        return file == null ? List.of() : out;
    }
}
