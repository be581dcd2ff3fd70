package dev.triage.simulate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.analysis.TaskProfile;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
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
import dev.triage.scoring.ScorerSpec;
import dev.triage.scoring.Answer;
import dev.triage.scoring.HeuristicScorer;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    public Simulator(Dataset dataset, TokenEstimator tokens) {
        this.dataset = dataset;
        this.tokens = tokens;
        List<ModelInfo> models = new ArrayList<>();
        dataset.manifest().prices().forEach((id, price) ->
                models.add(new ModelInfo(id, PROVIDER, id, price, 0, 0, null, "dataset manifest", List.of())));
        this.catalog = new PriceCatalog(models);
        TaskAnalyzer analyzer = new TaskAnalyzer(tokens);
        for (Item item : dataset.items()) {
            long input = tokens.countMessages(item.messages());
            Map<String, ReplayProvider.RecordedAnswer> answers = new HashMap<>();
            item.outcomes().forEach((model, o) -> {
                String text = o.response() == null ? "" : o.response();
                long out = o.outputTokens() != null ? o.outputTokens() : Math.max(1, tokens.count(text));
                answers.put(model, new ReplayProvider.RecordedAnswer(text, out, o.score()));
            });
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
    }

    public Dataset dataset() {
        return dataset;
    }

    public String strong() {
        return dataset.manifest().strongModel();
    }

    public String weak() {
        return dataset.manifest().weakModel();
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
                results.add(new ItemResult(item.id(), o.attempts(), model, o.cost(), item.outcomes().get(model).score()));
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

    /** Per item, the cheapest model that scores best: the upper bound any router can reach. */
    public StrategyResult oracle() {
        List<ItemResult> results = new ArrayList<>(requests.size());
        for (Item item : dataset.items()) {
            double w = item.outcomes().get(weak()).score();
            double s = item.outcomes().get(strong()).score();
            String model = s > w ? strong() : weak();
            results.add(new ItemResult(item.id(), List.of(model), model, cost(item, model), Math.max(w, s)));
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

    private Money cost(Item item, String model) {
        ReplayProvider.ReplayItem r = replayItems.get(item.id());
        return dataset.manifest().prices().get(model).cost(Usage.reported(r.inputTokens(), r.answers().get(model).outputTokens()));
    }
}
