package dev.triage.routing;

import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskProfile;
import dev.triage.budget.BudgetStore;
import dev.triage.caching.SessionStore;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.budget.DailyBudgets;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.BillableTokens;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Decides where a request goes, without calling any model: the gateway, {@code triage route}, the
 * simulator and the Java library all ask this class, so they all agree.
 *
 * <p>For a route name it asks the route's policy ({@link RouteSpec#decide}) with the request's
 * {@link TaskProfile}; for a concrete model id it plans that model and its fallback chain.
 */
public final class Router {

    private final Map<String, RouteSpec> routes;
    private final PriceCatalog catalog;
    private final Predicate<String> servable;
    private final Analyzer analyzer;
    private final BudgetStore store;
    private final Clock clock;
    private final Map<String, DailyBudgets> budgets = new ConcurrentHashMap<>();
    private final CacheAwareness cacheAwareness;

    /**
     * @param servable whether a model id is served by a configured provider
     * @param store    where tiered routes' daily spend is kept (read here to explain; reserved by the executor)
     * @param clock    decides which day it is, in each tiered route's time zone
     */
    public Router(Map<String, RouteSpec> routes, PriceCatalog catalog, Predicate<String> servable, Analyzer analyzer,
                  BudgetStore store, Clock clock) {
        this(routes, catalog, servable, analyzer, store, clock, SessionStore.NONE);
    }

    /** @param sessions where conversations' warm caches are remembered, for cache-aware routing ({@link CacheAwareness}) */
    public Router(Map<String, RouteSpec> routes, PriceCatalog catalog, Predicate<String> servable, Analyzer analyzer,
                  BudgetStore store, Clock clock, SessionStore sessions) {
        this.cacheAwareness = new CacheAwareness(sessions, clock);
        this.routes = Map.copyOf(routes);
        this.catalog = catalog;
        this.servable = servable;
        this.analyzer = analyzer;
        this.store = store;
        this.clock = clock;
    }

    /** The daily budgets of a tiered route, whose days start at midnight in its time zone. */
    public DailyBudgets budgets(TieredRouteSpec route) {
        return budgets.computeIfAbsent(route.name(), name -> new DailyBudgets(store, clock, route.zone()));
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
        try {
            return cacheAwareness.adjust(spec.decide(this, request, profile, spentTiers), spec, request, this);
        } catch (BudgetStoreUnavailableException e) {
            throw RoutingException.budgetStoreUnavailable("Route '" + spec.name() + "'", e);
        }
    }

    /** The model that answered the last turn of the request's conversation, while its cache is warm. */
    public Optional<String> sessionModel(ChatRequest request) {
        return cacheAwareness.warmModel(request);
    }

    /** Records that {@code model} answered {@code request}, whose prompt was {@code promptTokens}: its cache is warm. */
    public void answered(ChatRequest request, String model, long promptTokens) {
        if (routes.containsKey(request.model())) { // only routes choose models: a concrete model needs no memory of it
            cacheAwareness.answered(request, model, promptTokens);
        }
    }

    /** The cheapest servable model whose context window takes the prompt with room for an answer. */
    String largerContextModel(int inputTokens, String current) {
        return catalog.all().stream()
                .filter(m -> servable.test(m.id()) && m.contextWindow() > inputTokens * 1.1)
                .min(Comparator.comparing(Router::pricePerToken))
                .map(ModelInfo::id)
                .orElse(current);
    }

    /** Whether a model is served by a configured provider. */
    boolean servable(String model) {
        return servable.test(model);
    }

    PriceCatalog catalog() {
        return catalog;
    }

    /** Drops models below the route's floor and unavailable models; refuses when nothing is left. */
    List<Step> applyFloor(RouteSpec route, List<Step> steps, List<String> reasons) {
        String floorModel = route.floor() instanceof QualityFloor.Model(String id) ? id : null;
        BigDecimal floorPrice = floorModel == null ? null : catalog.find(floorModel).map(Router::pricePerToken).orElse(null);
        List<Step> kept = new ArrayList<>();
        boolean belowFloor = false;
        for (Step step : steps) {
            List<String> models = new ArrayList<>();
            for (String id : step.models()) {
                Optional<ModelInfo> m = catalog.find(id);
                if (floorPrice != null && m.isPresent() && pricePerToken(m.get()).compareTo(floorPrice) < 0) {
                    reasons.add(id + " is below the quality floor (" + floorModel + ")");
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
                        + floorModel + ") left; refusing rather than answering with a weaker model", null);
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

    static BigDecimal pricePerToken(ModelInfo m) {
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
            long input = bound.input(m.imageTokenLimit(), m.inputLimit());
            prompts = plusCapped(prompts, m.price().worstCase(input, 0));
            // A long prompt can move the whole call, its answer too, to a dearer long-context tier.
            Money output = m.price().worstCaseOutput(input, bound.output(m.outputLimit()));
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
