package dev.triage.app;

import dev.triage.alerts.WebhookSink;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.budget.BudgetAlerts;
import dev.triage.budget.BudgetStore;
import dev.triage.budget.DailyBudgets;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.caching.InMemorySessionStore;
import dev.triage.caching.SessionStore;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.config.ProviderConfig;
import dev.triage.config.ResilienceConfig;
import dev.triage.config.ServerConfig;
import dev.triage.config.StorageConfig;
import dev.triage.config.TriageConfig;
import dev.triage.context.ContextSharing;
import dev.triage.dispatch.AttemptListener;
import dev.triage.dispatch.Dispatcher;
import dev.triage.embed.Embedder;
import dev.triage.embed.Embedders;
import dev.triage.http.ConnectionLimits;
import dev.triage.http.GatewayServer;
import dev.triage.http.KeyGate;
import dev.triage.http.ResponseCaching;
import dev.triage.http.ServerSettings;
import dev.triage.http.TextCapture;
import dev.triage.responsecache.ResponseCache;
import dev.triage.responsecache.ResponseCachePolicy;
import dev.triage.responsecache.SemanticCache;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticSettings;
import dev.triage.keys.KeyBudgets;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import dev.triage.metrics.GatewayMetrics;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.Secrets;
import dev.triage.report.KeySpend;
import dev.triage.report.ReportEngine;
import dev.triage.report.ReportPeriod;
import dev.triage.report.ReportSettings;
import dev.triage.report.ReportSource;
import dev.triage.report.TierSpend;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.routing.RouteExecutor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.Router;
import dev.triage.routing.TieredRouteSpec;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place where Triage's parts are built and wired together from a
 * {@link TriageConfig}. Nothing else constructs providers, the ledger or the server.
 *
 * <p>The embedder of learned routes is found here too ({@link #embedder()}): the config loader asks it
 * for the embedder only when a learned route or scorer needs one, and the app closes it on shutdown.
 */
public final class TriageApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TriageApp.class);
    /** The exit status when a ledger thread died (EX_SOFTWARE: an internal error). */
    static final int EXIT_LEDGER_THREAD_DIED = 70;

    private final JdbcLedger ledger;
    private final GatewayServer server;
    private final PriceCatalog catalog;
    private final Map<String, Provider> providers;
    private final OnDemandEmbedder embedder;
    private final SharedState shared;

    private TriageApp(JdbcLedger ledger, GatewayServer server, PriceCatalog catalog, Map<String, Provider> providers,
                      OnDemandEmbedder embedder, SharedState shared) {
        this.ledger = ledger;
        this.shared = shared;
        this.server = server;
        this.catalog = catalog;
        this.providers = providers;
        this.embedder = embedder;
    }

    /**
     * The embeddings module's embedder, looked up with {@link Embedders#find()} the first time a config
     * loader asks (load the config with it, then hand it to {@link #start(TriageConfig, OnDemandEmbedder)}).
     */
    public static OnDemandEmbedder embedder() {
        return new OnDemandEmbedder(Embedders::find);
    }

    /** Builds everything from {@code config} and starts the HTTP server. */
    public static TriageApp start(TriageConfig config) {
        return start(config, null, Clock.systemUTC(), null);
    }

    /**
     * As {@link #start(TriageConfig)} for a config loaded with {@code embedder}: the app owns it from now
     * on and closes it on {@link #close()} (or here, if the app cannot start).
     */
    public static TriageApp start(TriageConfig config, OnDemandEmbedder embedder) {
        return start(config, embedder, Clock.systemUTC(), null);
    }

    /** As {@link #start(TriageConfig)}, with the clock and (optionally) an extra attempt listener for tests. */
    public static TriageApp start(TriageConfig config, Clock clock, AttemptListener extraListener) {
        return start(config, null, clock, extraListener);
    }

    /**
     * As {@link #start(TriageConfig, OnDemandEmbedder)}, with the clock and (optionally) an extra attempt
     * listener for tests; {@code embedder} may be null (the config has no learned routes).
     */
    public static TriageApp start(TriageConfig config, OnDemandEmbedder embedder, Clock clock, AttemptListener extraListener) {
        try {
            return build(config, embedder, clock, extraListener);
        } catch (RuntimeException e) {
            if (embedder != null) {
                embedder.close();
            }
            throw e;
        }
    }

    private static TriageApp build(TriageConfig config, OnDemandEmbedder embedder, Clock clock, AttemptListener extraListener) {
        config.providers().values().forEach(p -> Secrets.register(p.apiKey()));
        config.server().apiKeys().forEach(Secrets::register);
        Secrets.register(config.storage().ledgerPassword());

        TokenEstimator tokens = new TokenEstimator();
        Map<String, Provider> providers = new LinkedHashMap<>();
        for (ProviderConfig p : config.providers().values()) {
            if (p.enabled()) {
                providers.put(p.name(), p.kind().create(p.settings(), tokens));
            }
        }
        PriceCatalog catalog = config.catalog();
        JdbcLedger ledger = JdbcLedger.open(config.storage().ledger(), ledgerOptions(config.storage()),
                TriageApp::exitOnLedgerThreadDeath);
        SharedState shared = null;
        try {
            shared = SharedState.of(config, clock);
            BudgetStore budgetStore = shared.budgets();
            KeyBudgets keyBudgets = new KeyBudgets(budgetStore, clock);
            KeyGate keys = new KeyGate(ledger.keys(), keyBudgets, shared.limits(), clock, System::nanoTime);
            ResilienceSettings resilience = resilience(config.resilience(), config.server());
            GatewayMetrics metrics = new GatewayMetrics(providerKinds(config));
            metrics.watchLedger(ledger);
            AttemptListener listener = extraListener == null ? entry -> {
                ledger.record(entry);
                metrics.onAttempt(entry);
                keys.used(entry);
            } : entry -> {
                ledger.record(entry);
                metrics.onAttempt(entry);
                keys.used(entry);
                extraListener.onAttempt(entry);
            };
            Dispatcher dispatcher = new Dispatcher(providers, catalog, resilience,
                    new BreakerRegistry(resilience.breakerFailureThreshold(), resilience.breakerOpen(), System::nanoTime),
                    new Backoff(resilience.backoffInitial(), resilience.backoffMax(), () -> ThreadLocalRandom.current().nextDouble()),
                    Dispatcher.Sleeper.SYSTEM, listener, tokens, clock);
            Router router = router(config, catalog, id -> !dispatcher.plan(id).isEmpty(), tokens, budgetStore,
                    config.promptCache().cacheAwareRouting() ? shared.sessions() : SessionStore.NONE, clock);
            if (budgetStore instanceof InMemoryBudgetStore memory) {
                restoreTodaysSpend(router, memory, ledger.reports(), clock);
            }
            metrics.watchBudgets(router, budgetStore);
            metrics.watchRateLimits(shared.limits());
            BudgetAlerts alerts = alerts(config, shared, clock);
            RouteExecutor executor = new RouteExecutor(router, dispatcher, ScorerSpec::create, alerts,
                    new ContextSharing(config.contexts(), shared.contexts()));
            ServerConfig s = config.server();
            ReportEngine reports = new ReportEngine(ledger.reports(), catalog, config.routes(), TierSpend.of(router),
                    KeySpend.of(ledger.keys(), keyBudgets), clock, ReportSettings.defaults());
            // The semantic cache needs the embeddings model even when no learned route asked for it: the app owns it then.
            OnDemandEmbedder semanticEmbedder = config.responseCache().anySemantic() && embedder == null ? embedder() : embedder;
            ResponseCaching responses = responseCaching(config, shared, semanticEmbedder, ledger, metrics, clock);
            GatewayServer server = new GatewayServer(new ServerSettings(s.host(), s.port(), s.apiKeys(), s.maxBodyBytes(),
                    s.shutdownGrace(), s.maxBodyHeapBytes(), s.allowedHosts(), s.allowedOrigins(),
                    new ConnectionLimits(s.maxConnections(), s.headerTimeout(), s.idleTimeout()), config.promptCache()), catalog, dispatcher, executor,
                    s.requestTimeout(), () -> !providers.isEmpty(), ledger::state, budgetStore::state, metrics,
                    metrics::scrape, new GatewayServer.Insights(reports, ledger.reports(), ledger.requestLog(), clock),
                    config.storage().captureText() ? new TextCapture(ledger, clock) : null, keys, responses,
                    new GatewayServer.StoredResponses(ledger.responses(), config.storage().responsesRetention(), clock)).start();
            return new TriageApp(ledger, server, catalog, providers, semanticEmbedder, shared);
        } catch (RuntimeException e) {
            if (shared != null) {
                shared.close();
            }
            ledger.close();
            throw e;
        }
    }

    /**
     * The response cache of a config, or null when no route caches answers. Answers by meaning need the embeddings
     * model; without it (no embeddings module) the semantic cache is skipped, with a warning, and exact hits still work.
     */
    private static ResponseCaching responseCaching(TriageConfig config, SharedState shared, OnDemandEmbedder embedder,
                                                   JdbcLedger ledger, GatewayMetrics metrics, Clock clock) {
        ResponseCachePolicy policy = config.responseCache();
        if (!policy.anyEnabled()) {
            return null;
        }
        SemanticCache questions = null;
        if (policy.anySemantic()) {
            Optional<Embedder> found = embedder.get();
            if (found.isPresent()) {
                questions = shared.questions().apply(new SemanticMatcher(found.get(), SemanticSettings.DEFAULT));
            } else {
                LOG.warn("cache.semantic is on but no embeddings model is on the class path: only identical requests are answered from the cache");
            }
        }
        return new ResponseCaching(new ResponseCache(policy, shared.answers(), questions), lookup -> {
            ledger.recordCache(lookup);
            metrics.onCacheLookup(lookup);
        }, clock);
    }

    /**
     * A ledger thread died: nothing more would reach the database, so a gateway that kept serving would
     * spend money it never records. Halt (shutdown hooks would wait on the dead thread) and let the
     * supervisor restart Triage; what was spooled is on disk and is written by the next start.
     */
    static void exitOnLedgerThreadDeath(String thread, Throwable cause) {
        try {
            LOG.error("FATAL: ledger {} died: {}; exiting so a supervisor restarts Triage", thread, cause.toString(), cause);
        } finally {
            Runtime.getRuntime().halt(EXIT_LEDGER_THREAD_DIED);
        }
    }

    static LedgerOptions ledgerOptions(StorageConfig storage) {
        LedgerOptions options = LedgerOptions.defaults().withCredentials(storage.ledgerUser(), storage.ledgerPassword());
        return storage.spoolEnabled() ? options.withSpool(storage.spoolDirectory(), storage.spoolMaxBytes()).withSpoolLinger(storage.spoolLinger()) : options;
    }

    /** The router of a config: its routes, the analyser, and in-memory daily budgets. */
    public static Router router(TriageConfig config, PriceCatalog catalog, java.util.function.Predicate<String> servable,
                                TokenEstimator tokens, Clock clock) {
        return router(config, catalog, servable, tokens, new InMemoryBudgetStore(), SessionStore.NONE, clock);
    }

    /** As {@link #router(TriageConfig, PriceCatalog, java.util.function.Predicate, TokenEstimator, Clock)}, cache-aware over {@code sessions}. */
    public static Router router(TriageConfig config, PriceCatalog catalog, java.util.function.Predicate<String> servable,
                                TokenEstimator tokens, SessionStore sessions, Clock clock) {
        return router(config, catalog, servable, tokens, new InMemoryBudgetStore(), sessions, clock);
    }

    private static Router router(TriageConfig config, PriceCatalog catalog, java.util.function.Predicate<String> servable,
                                 TokenEstimator tokens, BudgetStore budgets, SessionStore sessions, Clock clock) {
        TaskAnalyzer analyzer = new TaskAnalyzer(tokens);
        return new Router(config.routes(), catalog, servable, analyzer::analyze, budgets, clock, sessions);
    }

    /** Budget alerts to {@code alerts.webhook_url}, claimed once across instances; none without a URL. */
    private static BudgetAlerts alerts(TriageConfig config, SharedState shared, Clock clock) {
        if (config.alerts().webhookUrl() == null) {
            return BudgetAlerts.NONE;
        }
        return new BudgetAlerts(config.alerts().thresholds(), shared.once(), new WebhookSink(config.alerts().webhookUrl()), clock);
    }

    /**
     * Without Redis a restart would forget today's spend and give the budgets back: before taking traffic,
     * each budgeted tier's spend since its midnight is read back from the ledger (settled attempts).
     */
    static void restoreTodaysSpend(Router router, InMemoryBudgetStore store, ReportSource ledger, Clock clock) {
        for (RouteSpec route : router.routes().values()) {
            if (route instanceof TieredRouteSpec tiered) {
                DailyBudgets budgets = router.budgets(tiered);
                LocalDate today = budgets.today();
                ReportPeriod sinceMidnight = new ReportPeriod(today.atStartOfDay(tiered.zone()).toInstant(), clock.instant().plusMillis(1));
                for (TieredRouteSpec.Tier tier : tiered.tiers()) {
                    Money spent;
                    try {
                        spent = ledger.spent(tiered.name(), tier.name(), sinceMidnight);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("cannot read today's spend of budget " + tiered.budgetKey(tier)
                                + " back from the ledger (" + e.getMessage() + "); starting now would give the day's budget back."
                                + " Start again once the ledger database answers, or keep budgets in Redis (storage.redis)", e);
                    }
                    if (spent.compareTo(Money.ZERO) > 0) {
                        store.add(tiered.budgetKey(tier), today, spent);
                        LOG.info("budget {}: ${} spent today, read back from the ledger", tiered.budgetKey(tier), spent.toUsdString());
                    }
                }
            }
        }
    }

    private static Map<String, ProviderFactory> providerKinds(TriageConfig config) {
        Map<String, ProviderFactory> kinds = new LinkedHashMap<>();
        config.providers().values().forEach(p -> kinds.put(p.name(), p.kind()));
        return kinds;
    }

    private static ResilienceSettings resilience(ResilienceConfig r, ServerConfig s) {
        return new ResilienceSettings(r.maxRetries(), r.backoffInitial(), r.backoffMax(), r.breakerFailureThreshold(),
                r.breakerOpen(), s.requestTimeout(), s.streamIdleTimeout());
    }

    public int port() {
        return server.port();
    }

    public JdbcLedger ledger() {
        return ledger;
    }

    public PriceCatalog catalog() {
        return catalog;
    }

    public Map<String, Provider> providers() {
        return providers;
    }

    /**
     * Stops accepting connections, lets requests in flight finish (up to {@code server.shutdown_grace_ms}),
     * then closes the ledger: every entry recorded by then is written to the database, or left in the
     * durable spool if the database does not take it in time. Last, the embedder is released.
     */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                shared.close();
                ledger.close();
            } finally {
                if (embedder != null) {
                    embedder.close();
                }
            }
        }
    }
}
