package dev.triage.simulate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.analysis.TaskProfile;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.provider.ProviderCall;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.provider.Deadline;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.routing.RouteExecutor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.Router;
import dev.triage.routing.RoutingException;
import dev.triage.scoring.Answer;
import dev.triage.scoring.HeuristicScorer;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.TokenEstimator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The cost calculator's engine: replays a dataset's recorded outcomes through the real {@link Router},
 * {@link RouteExecutor} and {@link Dispatcher}, with a {@link ReplayProvider} where the upstreams would
 * be, so a route is simulated exactly as the gateway would run it.
 */
public final class Simulator {

    private static final String PROVIDER = "replay";

    private final Dataset dataset;
    private final PriceCatalog catalog;
    private final ReplayProvider replay;
    private final Map<String, ReplayProvider.ReplayItem> replayItems = new HashMap<>();
    private final Map<String, ChatRequest> requests = new LinkedHashMap<>();
    private final Map<String, TaskProfile> profiles = new HashMap<>();
    private final TokenEstimator tokens;
    private final Map<String, Map<String, Money>> costs = new HashMap<>();
    private final boolean recordedCosts;
    private final String strong;
    private final String weak;

    public Simulator(Dataset dataset, TokenEstimator tokens) {
        this.dataset = dataset;
        this.tokens = tokens;
        Manifest manifest = dataset.manifest();
        TaskAnalyzer analyzer = new TaskAnalyzer(tokens);
        Map<String, Money> recordedTotal = new LinkedHashMap<>();
        Map<String, Long> recordedTokens = new HashMap<>();
        boolean anyRecorded = false;
        for (Item item : dataset.items()) {
            long input = tokens.countMessages(item.messages());
            Map<String, ReplayProvider.RecordedAnswer> answers = new HashMap<>();
            Map<String, Money> itemCosts = new HashMap<>();
            for (Map.Entry<String, Outcome> e : item.outcomes().entrySet()) {
                String model = e.getKey();
                Outcome o = e.getValue();
                String text = o.response() == null ? "" : o.response();
                long out = o.outputTokens() != null ? o.outputTokens()
                        : o.response() != null ? Math.max(1, tokens.count(text))
                        : manifest.defaultOutputTokens() != null ? manifest.defaultOutputTokens() : 1;
                answers.put(model, new ReplayProvider.RecordedAnswer(text, out, o.score()));
                if (o.cost() != null) {
                    anyRecorded = true;
                    itemCosts.put(model, o.cost());
                    recordedTotal.merge(model, o.cost(), Money::plus);
                    recordedTokens.merge(model, input + out, Long::sum);
                } else if (manifest.price(model) != null) {
                    itemCosts.put(model, manifest.price(model).cost(Usage.reported(input, out)));
                } // else a model the file cannot cost: not simulated (Dataset.modelsOnEveryItem leaves it out)
            }
            costs.put(item.id(), itemCosts);
            replayItems.put(item.id(), new ReplayProvider.ReplayItem(input, answers));
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("model", "");
            body.set("messages", item.messages());
            body.putObject("metadata").put(ReplayProvider.ITEM_KEY, item.id());
            ChatRequest request = new ChatRequest(body);
            requests.put(item.id(), request);
            profiles.put(item.id(), analyzer.analyze(request, Hints.NONE));
        }
        this.replay = new ReplayProvider(PROVIDER, replayItems);
        this.recordedCosts = anyRecorded;
        List<ModelInfo> models = new ArrayList<>();
        manifest.prices().forEach((id, price) ->
                models.add(new ModelInfo(id, PROVIDER, id, price, 0, 0, null, "dataset manifest", List.of())));
        recordedTotal.forEach((id, total) -> {
            if (manifest.price(id) == null) {
                models.add(new ModelInfo(id, PROVIDER, id, effectivePrice(total, recordedTokens.get(id)), 0, 0, null,
                        "dataset outcomes (cost_usd)", List.of()));
            }
        });
        this.catalog = new PriceCatalog(models);
        this.strong = manifest.strongModel() != null ? manifest.strongModel() : pickStrong();
        this.weak = manifest.weakModel() != null ? manifest.weakModel() : pickWeak();
    }

    /**
     * A price for a model known only by recorded costs: its total recorded cost over the tokens it read and
     * wrote, the same per input and output token, to 6 decimal places per 1M tokens. Routes use it to rank
     * models by price; what an answer costs is always its recorded cost.
     */
    static Price effectivePrice(Money total, long tokens) {
        BigDecimal perMtok = tokens == 0 ? BigDecimal.ZERO
                : total.usd().multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(tokens), 6, RoundingMode.HALF_EVEN);
        return new Price(perMtok, perMtok, null, null);
    }

    /** Without a declared strong model: the best on average (of those on every item), the cheaper on a tie. */
    private String pickStrong() {
        List<String> candidates = new ArrayList<>(dataset.modelsOnEveryItem());
        candidates.remove(dataset.manifest().weakModel());
        requireTwo(candidates);
        return candidates.stream().min(Comparator.comparingDouble((String m) -> -dataset.meanScore(m))
                .thenComparing(this::totalCost)).orElseThrow();
    }

    /** Without a declared weak model: the cheapest in total (of those on every item), the better on a tie. */
    private String pickWeak() {
        List<String> candidates = new ArrayList<>(dataset.modelsOnEveryItem());
        candidates.remove(strong);
        requireTwo(candidates);
        return candidates.stream().min(Comparator.comparing(this::totalCost)
                .thenComparingDouble(m -> -dataset.meanScore(m))).orElseThrow();
    }

    private void requireTwo(List<String> others) {
        if (others.isEmpty()) {
            throw new IllegalArgumentException(dataset.file() + ": routing needs at least two models with an outcome on every item;"
                    + " this file has " + dataset.modelsOnEveryItem().size());
        }
    }

    /** The model's price per 1M input plus output tokens in this simulation's catalog, as routes rank models. */
    public BigDecimal pricePerToken(String model) {
        Price p = catalog.find(model).orElseThrow(() -> new IllegalArgumentException("no model " + model)).price();
        return p.inputPerMtok().add(p.outputPerMtok());
    }

    /** What {@code model} answering every item costs. */
    public Money totalCost(String model) {
        Money total = Money.ZERO;
        for (Item item : dataset.items()) {
            total = total.plus(cost(item, model));
        }
        return total;
    }

    /** Whether the strong and weak model were picked by the simulator rather than named by the manifest. */
    public boolean pairPicked() {
        return dataset.manifest().strongModel() == null || dataset.manifest().weakModel() == null;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** The strong model: the manifest's, or when it names none the best on average. */
    public String strong() {
        return strong;
    }

    /** The weak model: the manifest's, or when it names none the cheapest. */
    public String weak() {
        return weak;
    }

    /** Runs every item through {@code route} on the real routing engine. */
    public StrategyResult runRoute(String name, String point, String description, RouteSpec route) {
        return StrategyResult.of(name, point, description, runRoute(route, dataset.items()), strong());
    }

    /** Runs {@code items} through {@code route} on the real routing engine, in order. */
    public List<ItemResult> runRoute(RouteSpec route, List<Item> items) {
        if (route.scorer().callsModels()) {
            throw new IllegalArgumentException("route '" + route.name() + "' uses the " + route.scorer().kind()
                    + " scorer, which needs a live model call; it cannot be simulated from recorded outcomes");
        }
        ResilienceSettings settings = new ResilienceSettings(0, Duration.ZERO, Duration.ZERO, Integer.MAX_VALUE,
                Duration.ofDays(1), Duration.ofMinutes(1), Duration.ofMinutes(1));
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
        Dispatcher dispatcher = new Dispatcher(Map.of(PROVIDER, replay), catalog, settings,
                new BreakerRegistry(Integer.MAX_VALUE, Duration.ofDays(1), System::nanoTime),
                new Backoff(Duration.ZERO, Duration.ZERO, () -> 0), d -> { }, entry -> { }, tokens, clock);
        Router router = new Router(Map.of(route.name(), route), catalog, catalog::contains,
                (request, hints) -> profiles.get(request.body().path("metadata").path(ReplayProvider.ITEM_KEY).asText()),
                new InMemoryBudgetStore(), clock);
        RouteExecutor executor = new RouteExecutor(router, dispatcher, ScorerSpec::create);
        List<ItemResult> results = new ArrayList<>(items.size());
        Deadline deadline = Deadline.after(Duration.ofDays(1));
        for (Item item : items) {
            ChatRequest request = requests.get(item.id()).withModel(route.name());
            RequestContext ctx = new RequestContext(item.id(), route.name(), null, null, null, deadline);
            try {
                RouteExecutor.Outcome o = executor.complete(ctx, request, Hints.NONE);
                String model = o.result().model();
                results.add(new ItemResult(item.id(), o.attempts(), model, recordedCosts ? recorded(item, o.attempts()) : o.cost(),
                        item.outcomes().get(model).score()));
            } catch (RoutingException e) {
                throw new IllegalArgumentException("route '" + route.name() + "' refused item " + item.id() + ": " + e.getMessage());
            }
        }
        return results;
    }

    /** Every item on one model. */
    public StrategyResult always(String name, String model) {
        List<ItemResult> results = new ArrayList<>(requests.size());
        for (Item item : dataset.items()) {
            results.add(new ItemResult(item.id(), List.of(model), model, cost(item, model), item.outcomes().get(model).score()));
        }
        return StrategyResult.of(name, null, "every request to " + model, results, strong());
    }

    /** Per item, the cheapest model that scores best (of every model with an outcome on every item): the upper bound any router can reach. */
    public StrategyResult oracle() {
        List<String> models = List.copyOf(dataset.modelsOnEveryItem());
        List<ItemResult> results = new ArrayList<>(requests.size());
        for (Item item : dataset.items()) {
            String best = null;
            for (String m : models) {
                if (best == null) {
                    best = m;
                    continue;
                }
                double sm = item.outcome(m).score();
                double sb = item.outcome(best).score();
                if (sm > sb || (sm == sb && cost(item, m).compareTo(cost(item, best)) < 0)) {
                    best = m;
                }
            }
            results.add(new ItemResult(item.id(), List.of(best), best, cost(item, best), item.outcome(best).score()));
        }
        return StrategyResult.of("oracle", null, "the cheapest model that scores best, per item (upper bound)", results, strong());
    }

    /** Sends each item to the strong model with probability {@code p}, averaged over {@code seeds} seeds. */
    public StrategyResult random(double p, int seeds, long seedBase) {
        double quality = 0;
        double strongShare = 0;
        long picos = 0;
        for (int s = 0; s < seeds; s++) {
            Random random = new Random(seedBase + s);
            for (Item item : dataset.items()) {
                String model = random.nextDouble() < p ? strong() : weak();
                quality += item.outcomes().get(model).score();
                strongShare += model.equals(strong()) ? 1 : 0;
                picos += cost(item, model).picos();
            }
        }
        double n = (double) seeds * dataset.items().size();
        return new StrategyResult("random", String.format("p=%.1f", p), "strong model with probability p (mean of " + seeds + " seeds)",
                List.of(), quality / n, strongShare / n, new Money(Math.round(picos / (double) seeds)), dataset.items().size());
    }

    /** The heuristic confidence of every item's weak answer: where a cascade's thresholds are drawn from. */
    public double[] weakConfidences() {
        HeuristicScorer scorer = new HeuristicScorer();
        double[] out = new double[dataset.items().size()];
        int i = 0;
        for (Item item : dataset.items()) {
            ChatRequest request = requests.get(item.id());
            var answer = replay.complete(new ProviderCall(request, weak(), Deadline.after(Duration.ofMinutes(1)), Duration.ofMinutes(1)));
            out[i++] = scorer.score(new Answer(request, answer.body(), answer.finishReason(), weak()), (r, m, p) -> {
                throw new IllegalStateException("the heuristic scorer makes no calls");
            });
        }
        return out;
    }

    /** The policy kinds bound to this dataset's weak and strong models. */
    public BoundPolicies bound() {
        return new BoundPolicies(weak(), strong());
    }

    /** What {@code model}'s recorded answer to {@code item} cost: its {@code cost_usd}, else its tokens at the manifest's price. */
    public Money cost(Item item, String model) {
        Money c = costs.get(item.id()).get(model);
        if (c == null) {
            throw new IllegalArgumentException("item " + item.id() + " has no outcome for " + model);
        }
        return c;
    }

    // The dispatcher bills the catalog's price; where the file records what answers cost, that is what counts.
    private Money recorded(Item item, List<String> calls) {
        Money total = Money.ZERO;
        for (String model : calls) {
            total = total.plus(cost(item, model));
        }
        return total;
    }
}
