package dev.triage.routing;

import dev.triage.analysis.TaskProfile;
import dev.triage.catalog.ModelInfo;
import dev.triage.chat.ChatRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A route that sends every request to the cheapest of its models whose context window holds the prompt
 * ({@code policy: cheapest}); the dearer ones, cheapest first, are the fallbacks on errors and timeouts.
 * Price is the catalog's input plus output price per token. It analyses nothing but the prompt's size:
 * the baseline a smarter policy must beat, and the policy for traffic where every listed model is
 * good enough.
 *
 * @param models the models it may send to, in any order
 */
public record CheapestRouteSpec(String name, List<String> models, QualityFloor floor) implements RouteSpec {

    public static final String POLICY = "cheapest";

    public CheapestRouteSpec {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a cheapest route needs at least one model");
        }
    }

    @Override
    public String policy() {
        return POLICY;
    }

    @Override
    public CheapestRouteSpec named(String name) {
        return new CheapestRouteSpec(name, models, floor);
    }

    @Override
    public CheapestRouteSpec renamed(UnaryOperator<String> rename) {
        return new CheapestRouteSpec(name, models.stream().map(rename).toList(), floor.renamed(rename));
    }

    @Override
    public Decision decide(Router router, ChatRequest request, TaskProfile profile, Set<String> spentTiers) {
        Comparator<String> byPrice = Comparator.comparing(
                (String m) -> router.catalog().find(m).map(Router::pricePerToken).orElse(BigDecimal.ZERO));
        List<String> fits = new ArrayList<>();
        List<String> tooSmall = new ArrayList<>();
        for (String m : models.stream().sorted(byPrice).toList()) {
            (holds(router.catalog().find(m), profile.inputTokens()) ? fits : tooSmall).add(m);
        }
        List<String> reasons = new ArrayList<>();
        List<String> order = new ArrayList<>(fits);
        if (fits.isEmpty()) {
            // nothing is known to hold it: the largest window first, and let the provider say
            tooSmall.sort(Comparator.comparing((String m) -> router.catalog().find(m).map(ModelInfo::inputLimit).orElse(0L))
                    .reversed());
            order.addAll(tooSmall);
            reasons.add("no model's context window holds about " + profile.inputTokens() + " tokens; largest window first");
        } else {
            reasons.add("cheapest model whose context window holds about " + profile.inputTokens() + " tokens: " + fits.getFirst()
                    + (tooSmall.isEmpty() ? "" : " (too small: " + String.join(", ", tooSmall) + ")"));
        }
        return new Decision(name, POLICY, profile, null, false,
                router.applyFloor(this, List.of(new Step(null, order, null, null, false)), reasons), scorer(), reasons);
    }

    /** Whether a model's window holds the prompt with a tenth to spare (an unknown window is taken to). */
    private static boolean holds(Optional<ModelInfo> model, int inputTokens) {
        return model.map(m -> m.contextWindow() == 0 || m.contextWindow() > inputTokens * 1.1).orElse(true);
    }
}
