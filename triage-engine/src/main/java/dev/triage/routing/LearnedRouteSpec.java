package dev.triage.routing;

import dev.triage.analysis.TaskProfile;
import dev.triage.chat.ChatRequest;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.PromptText;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A route whose model is chosen by a trained model ({@code policy: learned}): each candidate's quality
 * on the prompt is predicted, and a {@link Rule} picks one from those predictions and the candidates'
 * prices. The other candidates, best predicted first, are the fallbacks on errors.
 *
 * @param modelFile  where the model was read from, for explanations
 * @param candidates the models it may choose, all known to {@code model}
 */
public record LearnedRouteSpec(String name, LearnedModel model, String modelFile, List<String> candidates, Rule rule,
                               QualityFloor floor) implements RouteSpec {

    public static final String POLICY = "learned";

    /** How a learned route picks among its candidates. */
    public sealed interface Rule {

        /** The route's setting, as the config and {@code triage config check} write it: {@code tolerance 0.05}. */
        String setting();
    }

    /**
     * The cheapest candidate that no dearer candidate is predicted to beat by more than {@code tolerance} —
     * for tolerance ≥ 0, the cheapest within {@code tolerance} of the best. Tolerance 0 sends every request
     * to the model predicted best, 1 always to the cheapest; a negative tolerance asks a cheaper model to be
     * predicted better by at least that much (the low end of the simulator's sweep).
     */
    public record Tolerance(double tolerance) implements Rule {

        public Tolerance {
            if (!(tolerance >= -1 && tolerance <= 1)) {
                throw new IllegalArgumentException("tolerance must be between -1 and 1, got " + tolerance);
            }
        }

        @Override
        public String setting() {
            return "tolerance " + tolerance;
        }
    }

    /**
     * The candidate of highest predicted quality less {@code weight} × its price as a share of the dearest
     * candidate's (the cheaper on a tie). A dearer model must be predicted better in proportion to how much
     * dearer it is — a step from $0.10 to $0.20 per million tokens asks for less than one from $0.20 to
     * $0.90, where the tolerance asks the same of both. Weight 0 sends every request to the model predicted
     * best; weight w means paying the dearest candidate's whole price is worth w of quality. With two
     * candidates both rules make the same choices (weight w is tolerance w × (1 − cheap price / dear price)).
     */
    public record PriceWeighted(double weight) implements Rule {

        public PriceWeighted {
            if (!(weight >= 0 && weight <= MAX_PRICE_WEIGHT)) {
                throw new IllegalArgumentException("price weight must be between 0 and " + MAX_PRICE_WEIGHT + ", got " + weight);
            }
        }

        @Override
        public String setting() {
            return "price weight " + weight;
        }
    }

    /**
     * The largest price weight. Candidates whose prices differ by at least a hundredth of the dearest's
     * would need a predicted gain beyond the whole quality scale to be worth the step, so at this weight the
     * cheapest is chosen unless prices differ by less than that.
     */
    public static final int MAX_PRICE_WEIGHT = 100;

    /** A route with the tolerance rule. */
    public LearnedRouteSpec(String name, LearnedModel model, String modelFile, List<String> candidates, double tolerance,
                            QualityFloor floor) {
        this(name, model, modelFile, candidates, new Tolerance(tolerance), floor);
    }

    public LearnedRouteSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rule, "rule");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a learned route needs at least one candidate model");
        }
        for (String c : candidates) {
            if (!model.models().contains(c)) {
                throw new IllegalArgumentException("candidate '" + c + "' is not in the model file (it knows "
                        + String.join(", ", model.models()) + ")");
            }
        }
    }

    @Override
    public String policy() {
        return POLICY;
    }

    @Override
    public List<String> models() {
        return candidates;
    }

    @Override
    public LearnedRouteSpec named(String name) {
        return new LearnedRouteSpec(name, model, modelFile, candidates, rule, floor);
    }

    /** The model file's own ids are kept: only the models this route may send to are renamed. */
    @Override
    public LearnedRouteSpec renamed(UnaryOperator<String> rename) {
        return new LearnedRouteSpec(name, model, modelFile, candidates.stream().map(rename).toList(), rule, floor.renamed(rename));
    }

    @Override
    public Decision decide(Router router, ChatRequest request, TaskProfile profile, Set<String> spentTiers) {
        Map<String, Double> predicted = model.predictQuality(PromptText.of(request.messages()));
        List<String> served = candidates.stream().filter(router::servable).toList();
        if (served.isEmpty()) {
            return new Decision(name, POLICY, profile, null, false,
                    router.applyFloor(this, List.of(new Step(null, candidates, null, null, false)), new ArrayList<>()),
                    scorer(), List.of());
        }
        // every candidate's price, served or not, so a provider that is down does not change what a weight means
        Map<String, BigDecimal> price = new LinkedHashMap<>();
        candidates.forEach(m -> price.put(m, router.catalog().find(m).map(Router::pricePerToken).orElse(BigDecimal.ZERO)));
        String chosen = switch (rule) {
            case Tolerance t -> withinTolerance(served, price, predicted, t.tolerance());
            case PriceWeighted p -> bestValue(served, price, predicted, p.weight());
        };
        List<String> order = new ArrayList<>();
        order.add(chosen);
        String first = chosen;
        served.stream().filter(m -> !m.equals(first))
                .sorted(Comparator.comparing((String m) -> -predicted.get(m))).forEach(order::add);
        List<String> reasons = new ArrayList<>();
        Map<String, Double> shown = new LinkedHashMap<>();
        StringBuilder q = new StringBuilder("predicted quality");
        for (String m : order) {
            shown.put(m, Math.max(0, Math.min(1, predicted.get(m))));
            q.append(m.equals(order.getFirst()) ? " " : ", ").append(m).append(' ')
                    .append(String.format(Locale.ROOT, "%.2f", shown.get(m)));
        }
        reasons.add(q + " (model file " + modelFile + ")");
        reasons.add(switch (rule) {
            case Tolerance t -> "cheapest within tolerance " + t.tolerance() + " of every dearer candidate: ";
            case PriceWeighted p -> "highest predicted quality less " + p.weight() + " x its share of the dearest candidate's price: ";
        } + chosen
                + (order.size() > 1 ? "; errors and timeouts go to " + String.join(", ", order.subList(1, order.size())) : ""));
        return new Decision(name, POLICY, profile, null, false,
                router.applyFloor(this, List.of(new Step(null, order, null, null, false)), reasons), scorer(), reasons, shown);
    }

    /** Cheapest first; a model is chosen when no dearer candidate is predicted better by more than the tolerance. */
    private static String withinTolerance(List<String> served, Map<String, BigDecimal> price, Map<String, Double> predicted,
                                          double tolerance) {
        List<String> byPrice = served.stream()
                .sorted(Comparator.comparing(price::get).thenComparing(m -> -predicted.get(m)))
                .toList();
        for (int i = 0; i < byPrice.size() - 1; i++) {
            double dearerBest = Double.NEGATIVE_INFINITY;
            for (int j = i + 1; j < byPrice.size(); j++) {
                dearerBest = Math.max(dearerBest, predicted.get(byPrice.get(j)));
            }
            if (predicted.get(byPrice.get(i)) >= dearerBest - tolerance) {
                return byPrice.get(i);
            }
        }
        return byPrice.getLast();
    }

    /**
     * The served candidate of highest predicted quality less the weight times its share of the dearest
     * candidate's price; the cheaper on a tie, and a prediction that is not a number counts as the worst.
     */
    private String bestValue(List<String> served, Map<String, BigDecimal> price, Map<String, Double> predicted, double weight) {
        double[] share = priceShares(candidates.stream().map(price::get).toList());
        String best = null;
        double bestValue = Double.NaN;
        for (String m : served) {
            double q = predicted.get(m);
            double value = Double.isFinite(q) ? q - weight * share[candidates.indexOf(m)] : Double.NEGATIVE_INFINITY;
            if (best == null || value > bestValue || value == bestValue && price.get(m).compareTo(price.get(best)) < 0) {
                best = m;
                bestValue = value;
            }
        }
        return best;
    }

    /**
     * Each price as a share of the largest (0..1; all 0 when every price is 0). A ratio of prices, used only
     * to rank models; no money is computed from it.
     */
    public static double[] priceShares(List<BigDecimal> prices) {
        BigDecimal max = prices.stream().max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
        double[] out = new double[prices.size()];
        if (max.signum() > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = prices.get(i).divide(max, MathContext.DECIMAL64).doubleValue();
            }
        }
        return out;
    }
}
