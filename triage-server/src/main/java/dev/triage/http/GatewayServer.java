package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.budget.BudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.dispatch.Dispatcher;
import dev.triage.feedback.FeedbackStore;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.LedgerState;
import dev.triage.report.ReportEngine;
import dev.triage.report.RequestLog;
import dev.triage.routing.RouteExecutor;
import dev.triage.routing.RouteSpec;
import dev.triage.tokens.TokenEstimator;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Triage: OpenAI-compatible endpoints, Anthropic's Messages API, and health checks, on Javalin (Jetty) with
 * virtual threads. All wiring happens in the composition root; this class only maps HTTP to the engine.
 *
 * <p>What every request meets first: {@link CrossSiteGuard} (foreign {@code Host} 421, foreign
 * {@code Origin} 403), then per endpoint the key check (401), {@code application/json} for bodies (415)
 * and the {@link BodyBudget} (413 or 503). Every error, whoever raises it (a handler, Javalin, Jetty, a
 * fatal error), is answered in OpenAI's shape, or in Anthropic's on its Messages API ({@link MessagesErrors}).
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final String REQUEST_ID = "triage.requestId";
    private static final String ERROR_WRITTEN = "triage.errorWritten";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Set<String> HEALTH_CHECKS = Set.of("/healthz", "/readyz");
    private static final int ACCEPT_QUEUE = 1024;
    /** Anthropic's Messages API: its clients send their key as {@code x-api-key} and read errors in Anthropic's shape. */
    private static final String MESSAGES = "/v1/messages";

    private final ServerSettings settings;
    private final PriceCatalog catalog;
    private final Dispatcher dispatcher;
    private final BooleanSupplier ready;
    private final Supplier<LedgerState> ledgerState;
    private final Supplier<BudgetStore.State> budgetStore;
    private final KeyGate keys;
    private final ObjectMapper json = new ObjectMapper();
    private final ChatCompletions chat;
    private final MessagesApi messages;
    private final ResponsesApi responses;
    private final List<byte[]> apiKeys;
    private Javalin app;

    private final RouteExecutor executor;
    private final RequestObserver observer;
    private final Supplier<String> metrics;
    private final ReportApi reports;
    private final RequestsApi requestLog;
    private final FeedbackApi feedback;
    private final Dashboard dashboard;
    private final CrossSiteGuard guard;
    private final BodyBudget budget;
    private final BodyReader bodies;

    public GatewayServer(ServerSettings settings, PriceCatalog catalog, Dispatcher dispatcher, RouteExecutor executor,
                         Duration requestTimeout, BooleanSupplier ready) {
        this(settings, catalog, dispatcher, executor, requestTimeout, ready, () -> LedgerState.UP, () -> BudgetStore.State.UP, RequestObserver.NONE,
                null, null, null, null, null, null);
    }

    /**
     * @param ready        whether the gateway can serve at all (a provider is configured)
     * @param ledgerState  whether ledger entries reach the database, for {@code /readyz}; answers at once
     * @param budgetStore  whether the budget store answers (or serves from local allowances), for {@code /readyz}
     * @param observer hears every chat-completions request once it is over
     * @param metrics  the Prometheus text exposition served at {@code GET /metrics}, or null for no such endpoint
     * @param insights the report engine and feedback store behind {@code /api/report}, {@code /v1/feedback} and the
     *                 dashboard at {@code /}; null leaves them out
     * @param capture  where the text of answered requests goes ({@code storage.capture_text}); null keeps none
     * @param keys     virtual keys at the door, or null for none
     * @param responses the response cache, or null for none
     * @param stored   where {@code /v1/responses} keeps answers ({@code store: true}), or null to keep none
     */
    public GatewayServer(ServerSettings settings, PriceCatalog catalog, Dispatcher dispatcher, RouteExecutor executor,
                         Duration requestTimeout, BooleanSupplier ready, Supplier<LedgerState> ledgerState,
                         Supplier<BudgetStore.State> budgetStore, RequestObserver observer, Supplier<String> metrics, Insights insights, TextCapture capture,
                         KeyGate keys, ResponseCaching responses, StoredResponses stored) {
        LedgerOutage outage = new LedgerOutage();
        this.reports = insights == null ? null : new ReportApi(insights.reports(), insights.clock(), outage);
        this.requestLog = insights == null ? null : new RequestsApi(insights.requests(), insights.reports()::keyNames, insights.clock(), outage,
                capture != null);
        this.feedback = insights == null ? null : new FeedbackApi(insights.feedback(), insights.clock(), outage);
        this.dashboard = insights == null ? null : Dashboard.load();
        this.executor = executor;
        this.observer = observer;
        this.metrics = metrics;
        this.settings = settings;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.ready = ready;
        this.ledgerState = ledgerState;
        this.budgetStore = budgetStore;
        this.keys = keys;
        this.guard = new CrossSiteGuard(settings.host(), settings.allowedHosts(), settings.allowedOrigins());
        this.budget = new BodyBudget(settings.maxBodyHeapBytes());
        this.bodies = new BodyReader(budget);
        if (settings.maxBodyHeapBytes() > Runtime.getRuntime().maxMemory() * 3 / 4) {
            LOG.warn("server.max_body_heap_bytes ({} MiB) is most of the heap ({} MiB): near-limit bodies at once may run it out;"
                    + " give the JVM more (-Xmx) or lower server.max_body_bytes", settings.maxBodyHeapBytes() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
        long heads = settings.connections().maxConnections() * ConnectionLimits.WORST_CASE_BYTES_PER_CONNECTION;
        if (heads + settings.maxBodyHeapBytes() > Runtime.getRuntime().maxMemory() * 3 / 4) {
            LOG.warn("server.max_connections ({}) may hold {} MiB of heap in unfinished request heads, which with"
                            + " server.max_body_heap_bytes ({} MiB) is most of the heap ({} MiB): give the JVM more (-Xmx) or"
                            + " lower server.max_connections", settings.connections().maxConnections(), heads >> 20,
                    settings.maxBodyHeapBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        }
        ChatRequestParser parser = new ChatRequestParser();
        this.chat = new ChatCompletions(parser, executor, dispatcher, catalog,
                requestTimeout, json, capture, keys, settings.promptCache(), responses);
        this.messages = new MessagesApi(parser, chat, executor, catalog, new TokenEstimator(), json);
        this.responses = new ResponsesApi(parser, chat, stored == null ? null : stored.store(),
                stored == null ? Duration.ZERO : stored.retention(), stored == null ? Clock.systemUTC() : stored.clock(), json,
                settings.maxBodyBytes());
        this.apiKeys = settings.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public GatewayServer start() {
        app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.startup.showJavalinBanner = false;
            config.jetty.addConnector(this::connector);
            // Graceful stop: close() stops accepting, answers 503 to new requests on open connections and
            // waits up to the grace period for requests in flight (streams included) before stopping.
            config.jetty.modifyServer(server -> {
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(settings.shutdownGrace().toMillis());
                server.setErrorHandler(new JettyErrors());
            });
            config.routes.before(ctx -> {
                ctx.attribute(REQUEST_ID, RequestIds.next());
                if (!HEALTH_CHECKS.contains(ctx.path())) {
                    guard.checkHost(ctx.header("Host"));
                }
                guard.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
            });
            config.routes.post("/v1/chat/completions", ctx -> completion(ctx, chat::handle));
            // Anthropic's Messages API: the same path, told in Anthropic's format (errors included, see writeError).
            config.routes.post(MESSAGES, ctx -> completion(ctx, messages::create));
            config.routes.post(MESSAGES + "/count_tokens", ctx -> {
                try (BodyBudget.Claim claim = budget.open()) {
                    authenticateCaller(ctx);
                    CrossSiteGuard.requireJson(ctx.header("Content-Type"));
                    messages.countTokens(ctx, bodies.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                            settings.maxBodyBytes(), !expectsContinue(ctx), claim));
                }
            });
            config.routes.post("/v1/responses", ctx -> completion(ctx, responses::create));
            config.routes.get("/v1/responses/{id}", ctx -> responses.get(ctx, tenant(ctx, authenticateCaller(ctx))));
            config.routes.get("/v1/responses/{id}/input_items", ctx -> responses.inputItems(ctx, tenant(ctx, authenticateCaller(ctx))));
            config.routes.delete("/v1/responses/{id}", ctx -> responses.delete(ctx, tenant(ctx, authenticateCaller(ctx))));
            if (metrics != null) {
                // Same keys as /v1: spend and traffic figures are not for anyone who can reach the port.
                config.routes.get("/metrics", ctx -> {
                    authenticate(ctx);
                    ctx.contentType(PROMETHEUS_TEXT).result(metrics.get());
                });
            }
            config.routes.get("/v1/models", ctx -> {
                authenticateCaller(ctx);
                ctx.contentType("application/json").result(json.writeValueAsBytes(models()));
            });
            // <id>, not {id}: a model id may hold slashes (e.g. meta-llama/llama-3.1-8b-instruct).
            config.routes.get("/v1/models/<id>", ctx -> {
                authenticateCaller(ctx);
                String id = ctx.pathParam("id");
                ObjectNode model = model(id);
                if (model == null) {
                    throw ApiError.notFound("model_not_found", "model",
                            "The model '" + id + "' does not exist in this gateway; GET /v1/models lists what you can use");
                }
                ctx.contentType("application/json").result(json.writeValueAsBytes(model));
            });
            if (feedback != null) {
                config.routes.post("/v1/feedback", ctx -> {
                    try (BodyBudget.Claim claim = budget.open()) {
                        authenticateCaller(ctx);
                        CrossSiteGuard.requireJson(ctx.header("Content-Type"));
                        byte[] body = bodies.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                                Math.min(FeedbackApi.MAX_BODY_BYTES, settings.maxBodyBytes()), !expectsContinue(ctx), claim);
                        feedback.handle(ctx, body, ctx.attribute(REQUEST_ID));
                    }
                });
            }
            if (reports != null) {
                config.routes.get("/api/report", ctx -> reports.handle(ctx, ctx.attribute(REQUEST_ID), authenticateReader(ctx)));
                config.routes.get("/api/requests", ctx -> requestLog.handle(ctx, ctx.attribute(REQUEST_ID), authenticateReader(ctx)));
                // The page itself is open: it holds no figures and asks its user for a key when /api/report wants one.
                config.routes.get(Dashboard.PAGE, dashboard::page);
                config.routes.get(Dashboard.FILES, dashboard::file);
            }
            config.routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            config.routes.get("/readyz", this::readiness);
            config.routes.exception(ApiError.class, (e, ctx) -> writeError(ctx, e));
            // Javalin's own (a body over maxRequestSize, a method it refuses): its status, OpenAI's shape.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, ApiError.ofStatus(e.getStatus(), e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error in request {}", (Object) ctx.attribute(REQUEST_ID), e);
                writeError(ctx, internalError(ctx));
            });
            // An Error (OutOfMemoryError, StackOverflowError) skips the exception handlers: Javalin sets 500 and
            // calls this; the after-handler below writes the body.
            config.router.javaLangErrorHandler((res, error) -> {
                LOG.error("fatal error while serving a request", error);
                res.setStatus(500);
            });
            config.routes.error(404, ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) {
                    writeError(ctx, ApiError.notFound("unknown_url", null, "Unknown request URL: " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> writeError(ctx, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                    "Method " + ctx.method() + " is not allowed on " + ctx.path(), null)));
            // Last: any error status that left without an OpenAI-shaped body (never an empty 500).
            config.routes.after(ctx -> {
                if (ctx.statusCode() >= 400 && ctx.attribute(ERROR_WRITTEN) == null && !ctx.res().isCommitted()) {
                    writeError(ctx, ctx.statusCode() == 500 ? internalError(ctx) : ApiError.ofStatus(ctx.statusCode(), null));
                }
            });
        });
        app.start();
        return this;
    }

    /** How a request that runs as a chat completion is served, once its body is read. */
    @FunctionalInterface
    private interface Completion {
        void handle(Context ctx, String requestId, RequestFacts facts, byte[] body, VirtualKey key, String tenant) throws Exception;
    }

    /** A request that costs money: key, body under the body budget, then {@code handler}; observed once it is over. */
    private void completion(Context ctx, Completion handler) throws Exception {
        String id = ctx.attribute(REQUEST_ID);
        ctx.header("x-triage-request-id", id);
        RequestFacts facts = new RequestFacts(System.nanoTime());
        // The claim is given back when the request is over, streams included.
        try (BodyBudget.Claim claim = budget.open()) {
            VirtualKey key = authenticateCaller(ctx);
            CrossSiteGuard.requireJson(ctx.header("Content-Type"));
            byte[] body = bodies.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), settings.maxBodyBytes(),
                    !expectsContinue(ctx), claim);
            handler.handle(ctx, id, facts, body, key, tenant(ctx, key));
        } catch (ApiError e) {
            facts.failed(e.status(), e.code());
            throw e;
        } catch (Exception e) {
            facts.failed(500, "internal_error");
            throw e;
        } finally {
            observer.onRequest(facts.complete(System.nanoTime()));
        }
    }

    /**
     * {@code GET /readyz}: 503 {@code not ready} without a provider; 503 {@code degraded} while ledger entries
     * cannot reach the database and there is no spool to keep them (money would be recorded in memory only);
     * 200 {@code degraded} while the database is down but the spool keeps every entry, or while the budget store
     * cannot be reached (budgeted routes refuse, or with {@code allow_local} spend local allowances:
     * {@code "budget_store":"local"}); else 200 {@code ready}.
     */
    private void readiness(Context ctx) {
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE); // a 503 here is an answer, not an error to rewrite
        if (!ready.getAsBoolean()) {
            ctx.status(503).contentType("application/json").result("{\"status\":\"not ready\"}");
            return;
        }
        LedgerState ledger = ledgerState.get();
        BudgetStore.State budgets = budgetStore.get();
        String status = ledger == LedgerState.UP && budgets == BudgetStore.State.UP ? "ready" : "degraded";
        String ledgerWord = switch (ledger) {
            case UP -> "up";
            case SPOOLING -> "spooling";
            case DOWN -> "unavailable";
        };
        String budgetWord = switch (budgets) {
            case UP -> "up";
            case UNAVAILABLE -> "unavailable";
            case LOCAL -> "local";
        };
        // budgeted routes refuse (or spend local allowances) while the budget store is away: the instance is degraded, not down
        String body = "{\"status\":\"" + status + "\",\"ledger\":\"" + ledgerWord + "\",\"budget_store\":\"" + budgetWord + "\"}";
        ctx.status(ledger == LedgerState.DOWN ? 503 : 200).contentType("application/json").result(body);
    }

    /** A client that waits for {@code 100 Continue} sends its body only once the handler starts reading it. */
    private static boolean expectsContinue(Context ctx) {
        return "100-continue".equalsIgnoreCase(ctx.header("Expect"));
    }

    private static ApiError internalError(Context ctx) {
        return new ApiError(500, "server_error", "internal_error", null,
                "internal error in the gateway; see its log for request " + ctx.attribute(REQUEST_ID), null);
    }

    /**
     * The one listening connector: bounded request heads, a bounded number of connections, and
     * timeouts for slow heads and idle connections (see {@link ConnectionGuard}).
     */
    private ServerConnector connector(Server server, HttpConfiguration http) {
        ConnectionLimits limits = settings.connections();
        http.setRequestHeaderSize(ConnectionLimits.MAX_HEAD_BYTES);
        ServerConnector connector = new ServerConnector(server,
                new BoundedHeadConnectionFactory(http, ConnectionLimits.MAX_HEADER_FIELDS));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        // Connections the kernel completes while the acceptor is busy wait here instead of being dropped
        // (a dropped SYN costs the client a 1 s retransmit); Linux caps it at net.core.somaxconn.
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.addBean(new ConnectionGuard(limits, connector));
        return connector;
    }

    /**
     * What the report and feedback endpoints need.
     *
     * @param requests the request log behind {@code /api/requests}
     * @param clock decides "today" and the default period, and stamps feedback
     */
    public record Insights(ReportEngine reports, FeedbackStore feedback, RequestLog requests, Clock clock) {
    }

    /**
     * Where {@code /v1/responses} keeps answers.
     *
     * @param retention how long a stored response is served ({@code storage.responses_retention_days})
     * @param clock     stamps stored responses and decides when they expire
     */
    public record StoredResponses(dev.triage.ledger.ResponseStore store, Duration retention, Clock clock) {
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    /** The gateway's own keys only ({@code server.api_keys}): reports, metrics and feedback. */
    private void authenticate(Context ctx) {
        if (apiKeys.isEmpty()) {
            return;
        }
        String given = bearer(ctx);
        if (given == null) {
            throw ApiError.unauthorized("Missing API key: send 'Authorization: Bearer <key>' with one of the gateway's keys (server.api_keys)");
        }
        if (!isGatewayKey(given)) {
            throw ApiError.unauthorized("Invalid API key for this gateway");
        }
    }

    /**
     * {@code /api/report}: a gateway key sees everything; a virtual key sees its own requests only (returned);
     * without a key only while the gateway asks for none.
     */
    private VirtualKey authenticateReader(Context ctx) {
        String given = bearer(ctx);
        if (given != null && isGatewayKey(given)) {
            return null;
        }
        Optional<VirtualKey> key = given == null || keys == null ? Optional.empty() : keys.authenticate(given);
        if (key.isPresent()) {
            return key.get();
        }
        if (apiKeys.isEmpty() && (keys == null || !keys.required())) {
            return null;
        }
        throw given == null
                ? ApiError.unauthorized("Missing API key: send 'Authorization: Bearer <key>' with a gateway key (server.api_keys) "
                        + "for the whole report, or a virtual key for its own spend")
                : ApiError.unauthorized("Invalid API key for this gateway (unknown, revoked or expired)");
    }

    /**
     * The model endpoints: a gateway key (unrestricted), or a virtual key (returned, with its limits); a key
     * is required when {@code server.api_keys} is set or any virtual key is active.
     */
    private VirtualKey authenticateCaller(Context ctx) {
        String given = bearer(ctx);
        if (given != null && isGatewayKey(given)) {
            return null;
        }
        Optional<VirtualKey> key = given == null || keys == null ? Optional.empty() : keys.authenticate(given);
        if (key.isPresent()) {
            return key.get();
        }
        boolean required = !apiKeys.isEmpty() || keys != null && keys.required();
        if (!required) {
            return null;
        }
        throw given == null
                ? ApiError.unauthorized("Missing API key: send 'Authorization: Bearer <key>'"
                        + (isMessagesApi(ctx) ? " or 'x-api-key: <key>'" : "") + " with a key of this gateway")
                : ApiError.unauthorized("Invalid API key for this gateway (unknown, revoked or expired)");
    }

    /**
     * Who is asking, for the response cache: a virtual key by name, a gateway key by a hash of it (the key itself
     * is never kept), or the open gateway (no key required and none of this gateway's given).
     */
    private String tenant(Context ctx, VirtualKey key) {
        if (key != null) {
            return "key:" + key.name();
        }
        String given = bearer(ctx);
        if (given != null && isGatewayKey(given)) {
            try {
                return "gateway:" + java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(given.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
        return "open";
    }

    /** The key presented: {@code Authorization: Bearer}, or on the Messages API Anthropic's {@code x-api-key}. */
    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String apiKey = isMessagesApi(ctx) ? ctx.header("x-api-key") : null;
            return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        }
        return header.substring(7).trim();
    }

    private static boolean isMessagesApi(Context ctx) {
        return ctx.path().equals(MESSAGES) || ctx.path().startsWith(MESSAGES + "/");
    }

    private boolean isGatewayKey(String given) {
        byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : apiKeys) {
            match |= MessageDigest.isEqual(key, bytes);
        }
        return match;
    }

    /** One entry of {@link #models()} by id, or null when the list does not hold it. */
    private ObjectNode model(String id) {
        for (JsonNode e : models().get("data")) {
            if (e.get("id").asText().equals(id)) {
                return (ObjectNode) e;
            }
        }
        return null;
    }

    private ObjectNode models() {
        ObjectNode list = json.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (RouteSpec route : new java.util.TreeMap<>(executor.router().routes()).values()) {
            ObjectNode e = data.addObject();
            e.put("id", route.name());
            e.put("object", "model");
            e.put("created", 0);
            e.put("owned_by", "triage");
            e.put("triage_policy", route.policy());
        }
        for (ModelInfo m : catalog.all()) {
            if (dispatcher.plan(m.id()).isEmpty()) {
                continue;
            }
            ObjectNode e = data.addObject();
            e.put("id", m.id());
            e.put("object", "model");
            e.put("created", 0);
            e.put("owned_by", m.provider());
        }
        return list;
    }

    private void writeError(Context ctx, ApiError e) {
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
        if (e.status() == 429) {
            Duration wait = e.retryAfter() != null ? e.retryAfter() : Duration.ofSeconds(1);
            ctx.header("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        } else if (e.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (e.closesConnection()) {
            ctx.header("Connection", "close");
        }
        ctx.status(e.status()).contentType("application/json").result(isMessagesApi(ctx) ? MessagesErrors.body(e) : e.body());
    }

    /**
     * Stops accepting connections, lets requests in flight finish for up to the shutdown grace period,
     * then stops; requests still running after it are cut off.
     */
    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
