package dev.triage.metrics;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.budget.DailyBudgets;
import dev.triage.budget.redis.OutageTolerantBudgetStore;
import dev.triage.budget.redis.OutageTolerantRateLimiter;
import dev.triage.budget.redis.RedisBudgetStore;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.dispatch.AttemptListener;
import dev.triage.http.CompletedRequest;
import dev.triage.http.RequestObserver;
import dev.triage.keys.RateLimiter;
import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerHealth;
import dev.triage.provider.ProviderFactory;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.Router;
import dev.triage.routing.TieredRouteSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Triage's Prometheus metrics: every upstream attempt (from the dispatcher, like the ledger) and every
 * chat-completions request (from the HTTP layer), plus the tiered routes' budgets read at scrape time.
 *
 * <p>Names follow the OpenTelemetry GenAI semantic conventions where one exists: Triage is a GenAI
 * <em>client</em> of its upstreams ({@code gen_ai.client.*}, per attempt) and a GenAI <em>server</em>
 * to its callers ({@code gen_ai.server.*}, per request); the rest is {@code triage.*}. Labels are only
 * bounded, configured values (routes, model ids, tiers, error kinds): never a prompt, a user, a key or
 * any other string a client chose. An absent label value is the empty string, which Prometheus treats
 * as no label.
 *
 * <p>The per-request path takes no lock: meters are cached per label set in concurrent maps (a plain
 * read once a label set has been seen) and Micrometer's counters and histograms are lock-free adders.
 */
public final class GatewayMetrics implements AttemptListener, RequestObserver {

    /** The OpenTelemetry advice for {@code gen_ai.client.token.usage}. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};
    /** The OpenTelemetry advice for operation and request durations, in seconds. */
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    /** The OpenTelemetry advice for time to first token/chunk, in seconds. */
    private static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    private static final double PICOS_PER_USD = 1e12;
    private static final String CHAT = "chat";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, String> genAiProviders;

    private final ConcurrentHashMap<AttemptKey, AttemptMeters> attempts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ModelKey, TokenMeters> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ModelKey, Counter> costs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ModelKey, Timer> firstChunks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RequestKey, RequestMeters> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pair, Timer> firstTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pair, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> escalations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pair, Counter> downgrades = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Pair, Counter> cacheLookups = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> cacheSavings = new ConcurrentHashMap<>();

    /** @param providerKinds each configured provider's kind (which names its {@code gen_ai.provider.name}), by provider name */
    public GatewayMetrics(Map<String, ProviderFactory> providerKinds) {
        Map<String, String> names = new ConcurrentHashMap<>();
        providerKinds.forEach((name, kind) -> names.put(name, kind.genAiProviderName()));
        this.genAiProviders = names;
    }

    /** Adds a remaining-budget and a limit gauge for every tier with a daily budget of the router's tiered routes. */
    public void watchBudgets(Router router, BudgetStore store) {
        Gauge.builder("triage.budget.store.available", () -> store.available() ? 1 : 0)
                .description("1 while the budget store answers (always, in memory); 0 while Redis is unreachable and budgeted routes"
                        + " refuse (or, with storage.redis_outage: allow_local, spend local allowances)")
                .strongReference(true).register(registry);
        RedisBudgetStore redis = store instanceof RedisBudgetStore r ? r : null;
        if (store instanceof OutageTolerantBudgetStore tolerant) {
            redis = tolerant.shared();
            Gauge.builder("triage.budget.store.local", tolerant, t -> t.local() ? 1 : 0)
                    .description("1 while Redis is unreachable and budgets are served from this instance's local allowances"
                            + " (storage.redis_outage: allow_local)")
                    .register(registry);
            Gauge.builder("triage.budget.store.instances", tolerant, OutageTolerantBudgetStore::instances)
                    .description("N: the gateway instances sharing Redis as this one last counted them (0 before Redis first"
                            + " answered); a budget's local allowance is 1/N of what it had left")
                    .register(registry);
            FunctionCounter.builder("triage.budget.local.reservations", tolerant, OutageTolerantBudgetStore::localReservations)
                    .description("Budget reservations granted from local allowances while Redis was unreachable")
                    .register(registry);
            FunctionCounter.builder("triage.budget.local.refusals", tolerant, OutageTolerantBudgetStore::localRefusals)
                    .description("Budget reservations refused while Redis was unreachable because this instance's share of the"
                            + " budget was spent")
                    .register(registry);
        }
        if (redis != null) {
            FunctionCounter.builder("triage.budget.store.failures", redis, RedisBudgetStore::failures)
                    .description("Budget store commands that failed because Redis could not be reached")
                    .register(registry);
            Gauge.builder("triage.budget.store.pending.settles", redis, RedisBudgetStore::pendingSettles)
                    .description("Settles waiting for Redis to come back")
                    .register(registry);
            FunctionCounter.builder("triage.budget.store.dropped.settles", redis, RedisBudgetStore::droppedSettles)
                    .description("Settles dropped while Redis was away because too many were waiting (their costs are in the ledger)")
                    .register(registry);
        }
        watchBudgets(router);
    }

    /** With storage.redis_outage: allow_local, how many requests local per-minute limits let through during outages. */
    public void watchRateLimits(RateLimiter limits) {
        if (limits instanceof OutageTolerantRateLimiter tolerant) {
            FunctionCounter.builder("triage.rate_limit.local.takes", tolerant, OutageTolerantRateLimiter::localTakes)
                    .description("Requests a virtual key's rpm let through from this instance's local share while Redis was unreachable")
                    .register(registry);
        }
    }

    private void watchBudgets(Router router) {
        for (RouteSpec route : router.routes().values()) {
            if (route instanceof TieredRouteSpec tiered) {
                DailyBudgets budgets = router.budgets(tiered);
                for (TieredRouteSpec.Tier tier : tiered.tiers()) {
                    Money limit = tier.dailyBudget();
                    if (limit == null) {
                        continue;
                    }
                    String key = tiered.budgetKey(tier);
                    Gauge.builder("triage.budget.remaining", () -> remaining(budgets, key, limit))
                            .description("Daily budget left today (limit minus spent and reserved); negative when the last request overshot it")
                            .baseUnit("usd").tags("route", tiered.name(), "tier", tier.name()).strongReference(true).register(registry);
                    Gauge.builder("triage.budget.limit", () -> usd(limit))
                            .description("Daily budget of the tier")
                            .baseUnit("usd").tags("route", tiered.name(), "tier", tier.name()).strongReference(true).register(registry);
                }
            }
        }
    }

    /**
     * Adds the ledger's health, read at scrape time: rows set aside as dead letters (and their cost),
     * rows lost, and bytes waiting in the spool. A dead letter is money spent that no report sums until
     * it is replayed, so it deserves an alert. Micrometer holds {@code ledger} weakly: the caller keeps it.
     */
    public void watchLedger(LedgerHealth ledger) {
        FunctionCounter.builder("triage.ledger.dead_letters", ledger, LedgerHealth::deadLetterEntries)
                .description("Ledger rows the database refused for their own data, set aside in ledger_dead_letters "
                        + "(or dead-letters.jsonl) instead of written")
                .tags("kind", "entry").register(registry);
        FunctionCounter.builder("triage.ledger.dead_letters", ledger, LedgerHealth::deadLetterTexts)
                .description("Ledger rows the database refused for their own data, set aside in ledger_dead_letters "
                        + "(or dead-letters.jsonl) instead of written")
                .tags("kind", "text").register(registry);
        FunctionCounter.builder("triage.ledger.dead_letter.cost", ledger, h -> usd(h.deadLetterCost()))
                .description("What the dead-lettered attempts cost, in USD: spent, but in no report sum until replayed")
                .baseUnit("usd").register(registry);
        FunctionCounter.builder("triage.ledger.dropped", ledger, LedgerHealth::droppedEntries)
                .description("Ledger rows lost: queue or spool full, ledger closed, unreadable spool line, or refused with "
                        + "no dead-letter store left to take them")
                .tags("kind", "entry").register(registry);
        FunctionCounter.builder("triage.ledger.dropped", ledger, LedgerHealth::droppedTexts)
                .description("Ledger rows lost: queue or spool full, ledger closed, unreadable spool line, or refused with "
                        + "no dead-letter store left to take them")
                .tags("kind", "text").register(registry);
        Gauge.builder("triage.ledger.spool", ledger, LedgerHealth::spooledBytes)
                .description("Bytes of ledger rows waiting in the durable spool for the database")
                .baseUnit("bytes").strongReference(true).register(registry);
    }

    /** The current values in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void onAttempt(LedgerEntry e) {
        String route = orEmpty(e.route());
        String provider = orEmpty(e.provider());
        String outcome = e.status().name().toLowerCase(Locale.ROOT);
        String errorType = switch (e.status()) {
            case OK -> "";
            case CANCELLED -> "cancelled";
            case ERROR -> e.errorKind() == null ? "error" : e.errorKind().toLowerCase(Locale.ROOT);
        };
        AttemptMeters a = cached(attempts, new AttemptKey(route, e.model(), provider, outcome, errorType), this::attemptMeters);
        a.count.increment();
        a.duration.record(e.latencyMs(), TimeUnit.MILLISECONDS);

        ModelKey key = new ModelKey(route, e.model(), provider);
        Usage usage = e.usage();
        // Refused calls used no tokens and cost nothing: zero observations would only skew the histograms.
        if (usage.totalTokens() > 0) {
            TokenMeters t = cached(tokens, key, this::tokenMeters);
            t.input.record(usage.inputTokens());
            t.output.record(usage.outputTokens());
        }
        if (e.cost().picos() != 0) {
            cached(costs, key, k -> Counter.builder("triage.cost").baseUnit("usd")
                    .description("Cost of upstream calls in USD, summed as a double (the ledger keeps the exact amount)")
                    .tags("route", k.route(), "model", k.model()).register(registry)).increment(usd(e.cost()));
        }
        if (e.ttftMs() != null) {
            cached(firstChunks, key, this::firstChunkTimer).record(e.ttftMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** A response-cache lookup: counted by route and outcome; a hit's saving summed by route. */
    public void onCacheLookup(CacheLookup c) {
        String route = orEmpty(c.route());
        cached(cacheLookups, new Pair(route, c.outcome()), p -> Counter.builder("triage.response_cache.lookups")
                .description("Requests that looked the response cache up, by outcome (hit-exact, hit-semantic, miss)")
                .tags("route", p.a(), "outcome", p.b()).register(registry)).increment();
        if (c.saved().picos() != 0) {
            cached(cacheSavings, route, k -> Counter.builder("triage.response_cache.saved").baseUnit("usd")
                    .description("What response-cache hits saved in USD (the cost of the answers they served again), summed as a double")
                    .tags("route", k).register(registry)).increment(usd(c.saved()));
        }
    }

    @Override
    public void onRequest(CompletedRequest r) {
        String route = orEmpty(r.route());
        String model = orEmpty(r.model());
        RequestKey key = new RequestKey(route, orEmpty(r.policy()), model, r.status() / 100 + "xx", orEmpty(r.errorCode()));
        RequestMeters m = cached(requests, key, this::requestMeters);
        m.count.increment();
        m.duration.record(r.durationNanos(), TimeUnit.NANOSECONDS);
        if (r.firstChunkNanos() >= 0) {
            cached(firstTokens, new Pair(route, model), this::firstTokenTimer).record(r.firstChunkNanos(), TimeUnit.NANOSECONDS);
        }
        if (r.fellBack()) {
            cached(fallbacks, new Pair(route, model), p -> Counter.builder("triage.fallbacks")
                    .description("Requests answered after a model of their plan failed (by a model other than the first tried, not by escalation)")
                    .tags("route", p.a(), "model", p.b()).register(registry)).increment();
        }
        if (r.escalations() > 0) {
            cached(escalations, route, k -> Counter.builder("triage.escalations")
                    .description("Cascade steps whose answer the route's scorer did not accept")
                    .tags("route", k).register(registry)).increment(r.escalations());
        }
        if (r.downgraded()) {
            cached(downgrades, new Pair(route, orEmpty(r.tier())), p -> Counter.builder("triage.downgrades")
                    .description("Requests moved to a cheaper tier because a tier's daily budget was spent; tier is where they went")
                    .tags("route", p.a(), "tier", p.b()).register(registry)).increment();
        }
    }

    private AttemptMeters attemptMeters(AttemptKey k) {
        Counter count = Counter.builder("triage.upstream.attempts")
                .description("Upstream calls (retries and fallbacks each count) by how they ended")
                .tags("route", k.route(), "model", k.model(), "provider", k.provider(), "outcome", k.outcome(), "error_type", k.errorType())
                .register(registry);
        Timer duration = Timer.builder("gen_ai.client.operation.duration")
                .description("Duration of one upstream call, from sending it to its end")
                .tags("gen_ai.operation.name", CHAT, "gen_ai.provider.name", genAiProvider(k.provider()),
                        "gen_ai.request.model", k.model(), "triage.route", k.route(), "error.type", k.errorType())
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
        return new AttemptMeters(count, duration);
    }

    private TokenMeters tokenMeters(ModelKey k) {
        String provider = genAiProvider(k.provider());
        return new TokenMeters(tokenSummary(k, provider, "input"), tokenSummary(k, provider, "output"));
    }

    private DistributionSummary tokenSummary(ModelKey k, String provider, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage")
                .description("Tokens per upstream call (billable counts, provider-reported or estimated)")
                .tags("gen_ai.operation.name", CHAT, "gen_ai.provider.name", provider, "gen_ai.request.model", k.model(),
                        "gen_ai.token.type", type, "triage.route", k.route())
                .serviceLevelObjectives(TOKEN_BUCKETS).register(registry);
    }

    private Timer firstChunkTimer(ModelKey k) {
        return Timer.builder("gen_ai.client.operation.time_to_first_chunk")
                .description("Time from sending a streamed upstream call to its first chunk")
                .tags("gen_ai.operation.name", CHAT, "gen_ai.provider.name", genAiProvider(k.provider()),
                        "gen_ai.request.model", k.model(), "triage.route", k.route())
                .serviceLevelObjectives(FIRST_TOKEN_BUCKETS).register(registry);
    }

    private RequestMeters requestMeters(RequestKey k) {
        Counter count = Counter.builder("triage.requests")
                .description("Chat-completions requests by route, answering model and outcome")
                .tags("route", k.route(), "policy", k.policy(), "model", k.model(), "status_class", k.statusClass(),
                        "error_type", k.errorType())
                .register(registry);
        Timer duration = Timer.builder("gen_ai.server.request.duration")
                .description("Duration of a chat-completions request in the gateway, all attempts included")
                .tags("gen_ai.operation.name", CHAT, "gen_ai.request.model", k.route(), "gen_ai.response.model", k.model(),
                        "error.type", k.errorType())
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
        return new RequestMeters(count, duration);
    }

    private Timer firstTokenTimer(Pair p) {
        return Timer.builder("gen_ai.server.time_to_first_token")
                .description("Time from a streamed request's arrival to the first chunk sent to the client")
                .tags("gen_ai.operation.name", CHAT, "gen_ai.request.model", p.a(), "gen_ai.response.model", p.b())
                .serviceLevelObjectives(FIRST_TOKEN_BUCKETS).register(registry);
    }

    private String genAiProvider(String configured) {
        return genAiProviders.getOrDefault(configured, configured);
    }

    /** A plain read once the key has been seen; the lambda runs once per label set. */
    private static <K, M> M cached(ConcurrentHashMap<K, M> map, K key, Function<K, M> make) {
        M meters = map.get(key);
        return meters != null ? meters : map.computeIfAbsent(key, make);
    }

    /** What is left of a budget today; NaN (no sample) while the budget store cannot be asked. */
    private static double remaining(DailyBudgets budgets, String key, Money limit) {
        try {
            return usd(limit.minus(budgets.spentToday(key)));
        } catch (BudgetStoreUnavailableException e) {
            return Double.NaN;
        }
    }

    private static double usd(Money m) {
        return m.picos() / PICOS_PER_USD;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Duration[] seconds(double... values) {
        return Arrays.stream(values).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    }

    private record AttemptKey(String route, String model, String provider, String outcome, String errorType) {
    }

    private record ModelKey(String route, String model, String provider) {
    }

    private record RequestKey(String route, String policy, String model, String statusClass, String errorType) {
    }

    private record Pair(String a, String b) {
    }

    private record AttemptMeters(Counter count, Timer duration) {
    }

    private record TokenMeters(DistributionSummary input, DistributionSummary output) {
    }

    private record RequestMeters(Counter count, Timer duration) {
    }
}
