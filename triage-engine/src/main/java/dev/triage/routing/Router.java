package dev.triage.routing;

import dev.triage.analysis.Complexity;
import dev.triage.analysis.Hints;
import dev.triage.analysis.QualityRequirement;
import dev.triage.analysis.TaskProfile;
import dev.triage.analysis.TaskType;
import dev.triage.budget.BudgetStore;
import dev.triage.budget.DailyBudgets;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.learn.PromptText;
import dev.triage.tokens.BillableTokens;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides where a request goes, without calling any model: the gateway, {@code triage route}, the
 * simulator and the Java library all ask this class, so they all agree.
 *
 * <p>For a route name it applies the route's policy (task, tiered or cascade) to the request's
 * {@link TaskProfile}; for a concrete model id it plans that model and its fallback chain.
 */
public final class Router {

    private final Map<String, RouteSpec> routes;
    private final PriceCatalog catalog;
    private final Predicate<String> servable;
    private final Analyzer analyzer;
    private final Map<String, DailyBudgets> budgets = new HashMap<>();

    /**
     * @param servable whether a model id is served by a configured provider
     * @param store    where tiered routes' daily spend is kept (read here to explain; reserved by the executor)
     * @param clock    decides which day it is, in each tiered route's time zone
     */
    public Router(Map<String, RouteSpec> routes, PriceCatalog catalog, Predicate<String> servable, Analyzer analyzer,
                  BudgetStore store, Clock clock) {
        this.routes = Map.copyOf(routes);
        this.catalog = catalog;
        this.servable = servable;
        this.analyzer = analyzer;
        for (RouteSpec r : routes.values()) {
            if (r instanceof TieredRouteSpec t) {
                budgets.put(t.name(), new DailyBudgets(store, clock, t.zone()));
            }
        }
    }

    /** The daily budgets of a tiered route. */
    public DailyBudgets budgets(TieredRouteSpec route) {
        return budgets.get(route.name());
    }

    public Optional<RouteSpec> route(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    public Map<String, RouteSpec> routes() {
        return routes;
    }

    /** The decision for a request on {@code routeOrModel}. */
    public Decision decide(String routeOrModel, ChatRequest request, Hints hints) {
        return decide(routeOrModel, request, hints, Set.of());
    }

    /**
     * As {@link #decide(String, ChatRequest, Hints)}, treating the tiers in {@code spentTiers} as spent
     * (the executor's reservation for them failed).
     */
    public Decision decide(String routeOrModel, ChatRequest request, Hints hints, Set<String> spentTiers) {
        TaskProfile profile = analyzer.analyze(request, hints);
        RouteSpec spec = routes.get(routeOrModel);
        if (spec == null) {
            return new Decision(routeOrModel, "model", profile, null, false, List.of(Step.of(routeOrModel)),
                    ScorerSpec.HEURISTIC, List.of("a concrete model was asked for: it and its fallback chain"));
        }
        return switch (spec) {
            case TaskRouteSpec t -> task(t, profile);
            case TieredRouteSpec t -> tiered(t, request, profile, spentTiers);
            case CascadeRouteSpec c -> cascade(c, profile);
            case LearnedRouteSpec l -> learned(l, request, profile);
        };
    }

    private Decision learned(LearnedRouteSpec route, ChatRequest request, TaskProfile profile) {
        Map<String, Double> predicted = route.model().predictQuality(PromptText.of(request.messages()));
        List<String> candidates = route.candidates().stream().filter(servable).toList();
        if (candidates.isEmpty()) {
            return new Decision(route.name(), "learned", profile, null, false,
                    applyFloor(route, List.of(new Step(null, route.candidates(), null, null, false)), new ArrayList<>()),
                    ScorerSpec.HEURISTIC, List.of());
        }
        // cheapest first; a model is chosen when no dearer candidate is predicted better by more than the tolerance
        List<String> byPrice = candidates.stream()
                .sorted(Comparator.comparing((String m) -> catalog.find(m).map(Router::pricePerToken).orElse(BigDecimal.ZERO))
                        .thenComparing(m -> -predicted.get(m)))
                .toList();
        String chosen = byPrice.getLast();
        for (int i = 0; i < byPrice.size() - 1; i++) {
            double dearerBest = Double.NEGATIVE_INFINITY;
            for (int j = i + 1; j < byPrice.size(); j++) {
                dearerBest = Math.max(dearerBest, predicted.get(byPrice.get(j)));
            }
            if (predicted.get(byPrice.get(i)) >= dearerBest - route.tolerance()) {
                chosen = byPrice.get(i);
                break;
            }
        }
        List<String> order = new ArrayList<>();
        order.add(chosen);
        String first = chosen;
        candidates.stream().filter(m -> !m.equals(first))
                .sorted(Comparator.comparing((String m) -> -predicted.get(m))).forEach(order::add);
        List<String> reasons = new ArrayList<>();
        Map<String, Double> shown = new java.util.LinkedHashMap<>();
        StringBuilder q = new StringBuilder("predicted quality");
        for (String m : order) {
            shown.put(m, Math.max(0, Math.min(1, predicted.get(m))));
            q.append(m.equals(order.getFirst()) ? " " : ", ").append(m).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", shown.get(m)));
        }
        reasons.add(q + " (model file " + route.modelFile() + ")");
        reasons.add("cheapest within tolerance " + route.tolerance() + " of every dearer candidate: " + chosen
                + (order.size() > 1 ? "; errors and timeouts go to " + String.join(", ", order.subList(1, order.size())) : ""));
        return new Decision(route.name(), "learned", profile, null, false,
                applyFloor(route, List.of(new Step(null, order, null, null, false)), reasons), ScorerSpec.HEURISTIC, reasons,
                shown);
    }

    private Decision task(TaskRouteSpec route, TaskProfile profile) {
        List<String> reasons = new ArrayList<>();
        TaskType type = profile.taskType();
        TaskRouteSpec.Rule rule = route.rules().get(type);
        if (rule == null) {
            rule = route.rules().get(route.defaultTask());
            reasons.add("no rule for " + type + ": the default rule (" + route.defaultTask() + ") applies");
        } else {
            reasons.add("rule " + type);
        }
        List<Step> steps = new ArrayList<>();
        Integer limit = rule.maxInputTokens();
        if (limit != null && profile.inputTokens() > limit) {
            String target = rule.fallback() != null ? rule.fallback() : largerContextModel(profile.inputTokens(), rule.model());
            reasons.add("input of " + profile.inputTokens() + " tokens exceeds max_input_tokens " + limit + ": straight to " + target);
            steps.add(new Step("fallback", List.of(target), null, null, false));
        } else {
            boolean hasFallback = rule.fallback() != null;
            steps.add(new Step(null, List.of(rule.model()), hasFallback ? rule.threshold() : null, rule.maxLatency(), rule.thinking()));
            if (hasFallback) {
                steps.add(new Step("fallback", List.of(rule.fallback()), null, null, false));
                reasons.add(rule.threshold() != null
                        ? "answers under confidence " + rule.threshold() + " (scorer " + route.scorer().kind() + "), errors and timeouts go to " + rule.fallback()
                        : "errors and timeouts go to " + rule.fallback());
            }
            if (rule.maxLatency() != null) {
                reasons.add("latency budget " + rule.maxLatency().toMillis() + " ms");
            }
            if (rule.thinking()) {
                reasons.add("reasoning mode on");
            }
        }
        return new Decision(route.name(), "task", profile, null, false, applyFloor(route, steps, reasons), route.scorer(), reasons);
    }

    /** The cheapest servable model whose context window takes the prompt with room for an answer. */
    private String largerContextModel(int inputTokens, String current) {
        return catalog.all().stream()
                .filter(m -> servable.test(m.id()) && m.contextWindow() > inputTokens * 1.1)
                .min(Comparator.comparing(Router::pricePerToken))
                .map(ModelInfo::id)
                .orElse(current);
    }

    private Decision tiered(TieredRouteSpec route, ChatRequest request, TaskProfile profile, Set<String> spentTiers) {
        List<String> reasons = new ArrayList<>();
        List<TieredRouteSpec.Tier> tiers = route.tiers();
        int start = startTier(tiers, profile);
        reasons.add("complexity " + profile.complexity().name().toLowerCase() + " with quality " + profile.quality().wireName()
                + " -> tier " + tiers.get(start).name());
        int lowest = tiers.size() - 1;
        if (route.floor().tier() != null) {
            lowest = indexOf(tiers, route.floor().tier());
            if (start > lowest) {
                start = lowest;
                reasons.add("raised to the quality floor, tier " + tiers.get(start).name());
            }
        }
        DailyBudgets budgets = budgets(route);
        for (int i = start; i <= lowest; i++) {
            TieredRouteSpec.Tier tier = tiers.get(i);
            List<String> models = tier.models().stream().filter(servable).toList();
            if (models.isEmpty()) {
                reasons.add("tier " + tier.name() + " has no available model");
                continue;
            }
            if (spentTiers.contains(tier.name())) {
                reasons.add("tier " + tier.name() + " budget cannot take this request's worst case ($"
                        + budgets.spentToday(budgetKey(route, tier)).toUsdString() + " of $" + tier.dailyBudget().toUsdString()
                        + " committed today)");
                continue;
            }
            if (spent(budgets, route, tier)) {
                reasons.add("tier " + tier.name() + " budget spent today ($" + budgets.spentToday(budgetKey(route, tier)).toUsdString()
                        + " of $" + tier.dailyBudget().toUsdString() + ")");
                continue;
            }
            if (tier.dailyBudget() != null) {
                reasons.add("tier " + tier.name() + " spent $" + budgets.spentToday(budgetKey(route, tier)).toUsdString()
                        + " of $" + tier.dailyBudget().toUsdString() + " today");
            }
            return new Decision(route.name(), "tiered", profile, tier.name(), i > start, List.of(new Step(null, models, null, null, false)),
                    ScorerSpec.HEURISTIC, reasons);
        }
        String floorNote = lowest < tiers.size() - 1 ? " down to the quality floor (tier " + tiers.get(lowest).name() + ")" : "";
        throw new RoutingException(429, "budget_exhausted", "Every tier of route '" + route.name() + "'" + floorNote
                + " has spent its daily budget; budgets reset at midnight " + zoneName(route) + " (" + budgets.nextReset() + ")",
                budgets.untilReset());
    }

    private static String zoneName(TieredRouteSpec route) {
        String id = route.zone().normalized().getId();
        return "Z".equals(id) ? "UTC" : id;
    }

    private static boolean spent(DailyBudgets budgets, TieredRouteSpec route, TieredRouteSpec.Tier tier) {
        return tier.dailyBudget() != null && budgets.spentToday(budgetKey(route, tier)).compareTo(tier.dailyBudget()) >= 0;
    }

    /** The budget key of a tier: budgets belong to a route's tier. */
    public static String budgetKey(TieredRouteSpec route, TieredRouteSpec.Tier tier) {
        return route.name() + "/" + tier.name();
    }

    // The seed's classify_tier: high complexity with a high quality requirement -> high; medium -> medium; else low.
    private static int startTier(List<TieredRouteSpec.Tier> tiers, TaskProfile profile) {
        String wanted;
        if (profile.complexity() == Complexity.HIGH && profile.quality() == QualityRequirement.HIGH) {
            wanted = "high";
        } else if (profile.complexity() == Complexity.MEDIUM || profile.complexity() == Complexity.HIGH) {
            wanted = "medium";
        } else {
            wanted = "low";
        }
        int byName = indexOf(tiers, wanted);
        if (byName >= 0) {
            return byName;
        }
        return switch (wanted) {
            case "high" -> 0;
            case "medium" -> tiers.size() / 2;
            default -> tiers.size() - 1;
        };
    }

    private static int indexOf(List<TieredRouteSpec.Tier> tiers, String name) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private Decision cascade(CascadeRouteSpec route, TaskProfile profile) {
        List<String> reasons = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        int n = route.stages().size();
        for (int i = 0; i < n; i++) {
            CascadeRouteSpec.Stage stage = route.stages().get(i);
            steps.add(new Step("stage " + (i + 1) + "/" + n, List.of(stage.model()), i < n - 1 ? stage.acceptConfidence() : null, null, false));
        }
        reasons.add(n + " stages, scorer " + route.scorer().kind());
        return new Decision(route.name(), "cascade", profile, null, false, applyFloor(route, steps, reasons), route.scorer(), reasons);
    }

    /** Drops models below the route's floor and unavailable models; refuses when nothing is left. */
    private List<Step> applyFloor(RouteSpec route, List<Step> steps, List<String> reasons) {
        BigDecimal floorPrice = route.floor().model() == null ? null
                : catalog.find(route.floor().model()).map(Router::pricePerToken).orElse(null);
        List<Step> kept = new ArrayList<>();
        boolean belowFloor = false;
        for (Step step : steps) {
            List<String> models = new ArrayList<>();
            for (String id : step.models()) {
                Optional<ModelInfo> m = catalog.find(id);
                if (floorPrice != null && m.isPresent() && pricePerToken(m.get()).compareTo(floorPrice) < 0) {
                    reasons.add(id + " is below the quality floor (" + route.floor().model() + ")");
                    belowFloor = true;
                } else if (!servable.test(id)) {
                    reasons.add(id + " is not available (no configured provider)");
                } else {
                    models.add(id);
                }
            }
            if (!models.isEmpty()) {
                kept.add(new Step(step.label(), models, step.acceptConfidence(), step.latencyBudget(), step.thinking()));
            }
        }
        if (kept.isEmpty()) {
            if (belowFloor) {
                throw new RoutingException(429, "quality_floor", "Route '" + route.name() + "' has only models below its quality floor ("
                        + route.floor().model() + ") left; refusing rather than answering with a weaker model", null);
            }
            throw new RoutingException(400, "model_not_available", "None of the models of route '" + route.name()
                    + "' is served by a configured provider", null);
        }
        // The last remaining step always answers.
        Step last = kept.getLast();
        if (last.acceptConfidence() != null) {
            kept.set(kept.size() - 1, new Step(last.label(), last.models(), null, last.latencyBudget(), last.thinking()));
        }
        return kept;
    }

    private static BigDecimal pricePerToken(ModelInfo m) {
        return m.price().inputPerMtok().add(m.price().outputPerMtok());
    }

    /**
     * The most a request can cost on a plan (a step's models with their fallback chains, in the order the
     * dispatcher tries them): every model of the plan may be billed the prompt, since a timed-out attempt is
     * charged it before the next model is tried, and one of them the whole answer. What a prompt and an
     * answer can be billed is {@link BillableTokens}'s bound; a model's limits come from the catalog.
     */
    public static Money worstCase(List<ModelInfo> plan, ChatRequest request) {
        return worstCase(plan, BillableTokens.of(request));
    }

    /** As {@link #worstCase(List, ChatRequest)}, for a request's bound already read. */
    public static Money worstCase(List<ModelInfo> plan, BillableTokens bound) {
        Money prompts = Money.ZERO;
        Money answer = Money.ZERO;
        for (ModelInfo m : plan) {
            prompts = plusCapped(prompts, m.price().worstCase(bound.input(m.imageTokenLimit(), m.inputLimit()), 0));
            Money output = m.price().worstCase(0, bound.output(m.outputLimit()));
            if (output.compareTo(answer) > 0) {
                answer = output;
            }
        }
        return plusCapped(prompts, answer);
    }

    private static Money plusCapped(Money a, Money b) {
        try {
            return a.plus(b);
        } catch (ArithmeticException beyondAnyBudget) {
            return Price.UNAFFORDABLE;
        }
    }
}
