package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.dispatch.Dispatcher;
import dev.triage.feedback.FeedbackStore;
import dev.triage.report.ReportEngine;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.RouteExecutor;
import dev.triage.routing.RouteSpec;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Triage: OpenAI-compatible endpoints plus health checks, on Javalin (Jetty) with
 * virtual threads. All wiring happens in the composition root; this class only maps HTTP to the engine.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final String REQUEST_ID = "triage.requestId";
    private static final String ERROR_WRITTEN = "triage.errorWritten";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerSettings settings;
    private final PriceCatalog catalog;
    private final Dispatcher dispatcher;
    private final BooleanSupplier ready;
    private final ObjectMapper json = new ObjectMapper();
    private final ChatCompletions chat;
    private final List<byte[]> apiKeys;
    private Javalin app;

    private final RouteExecutor executor;
    private final RequestObserver observer;
    private final Supplier<String> metrics;
    private final ReportApi reports;
    private final FeedbackApi feedback;
    private final Dashboard dashboard;

    public GatewayServer(ServerSettings settings, PriceCatalog catalog, Dispatcher dispatcher, RouteExecutor executor,
                         Duration requestTimeout, BooleanSupplier ready) {
        this(settings, catalog, dispatcher, executor, requestTimeout, ready, RequestObserver.NONE, null, null, null);
    }

    /**
     * @param observer hears every chat-completions request once it is over
     * @param metrics  the Prometheus text exposition served at {@code GET /metrics}, or null for no such endpoint
     * @param insights the report engine and feedback store behind {@code /api/report}, {@code /v1/feedback} and the
     *                 dashboard at {@code /}; null leaves them out
     * @param capture  where the text of answered requests goes ({@code storage.capture_text}); null keeps none
     */
    public GatewayServer(ServerSettings settings, PriceCatalog catalog, Dispatcher dispatcher, RouteExecutor executor,
                         Duration requestTimeout, BooleanSupplier ready, RequestObserver observer, Supplier<String> metrics,
                         Insights insights, TextCapture capture) {
        this.reports = insights == null ? null : new ReportApi(insights.reports(), insights.clock());
        this.feedback = insights == null ? null : new FeedbackApi(insights.feedback(), insights.clock());
        this.dashboard = insights == null ? null : Dashboard.load();
        this.executor = executor;
        this.observer = observer;
        this.metrics = metrics;
        this.settings = settings;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.ready = ready;
        this.chat = new ChatCompletions(new ChatRequestParser(settings.maxBodyBytes()), executor, dispatcher, catalog,
                requestTimeout, json, capture);
        this.apiKeys = settings.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public GatewayServer start() {
        app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            // Graceful stop: close() stops accepting, answers 503 to new requests on open connections and
            // waits up to the grace period for requests in flight (streams included) before stopping.
            config.jetty.modifyServer(server -> {
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(settings.shutdownGrace().toMillis());
            });
            config.routes.before(ctx -> ctx.attribute(REQUEST_ID, RequestIds.next()));
            config.routes.post("/v1/chat/completions", ctx -> {
                String id = ctx.attribute(REQUEST_ID);
                ctx.header("x-triage-request-id", id);
                RequestFacts facts = new RequestFacts(System.nanoTime());
                try {
                    authenticate(ctx);
                    chat.handle(ctx, id, facts);
                } catch (ApiError e) {
                    facts.failed(e.status(), e.code());
                    throw e;
                } catch (Exception e) {
                    facts.failed(500, "internal_error");
                    throw e;
                } finally {
                    observer.onRequest(facts.complete(System.nanoTime()));
                }
            });
            if (metrics != null) {
                // Same keys as /v1: spend and traffic figures are not for anyone who can reach the port.
                config.routes.get("/metrics", ctx -> {
                    authenticate(ctx);
                    ctx.contentType(PROMETHEUS_TEXT).result(metrics.get());
                });
            }
            config.routes.get("/v1/models", ctx -> {
                authenticate(ctx);
                ctx.contentType("application/json").result(json.writeValueAsBytes(models()));
            });
            if (feedback != null) {
                config.routes.post("/v1/feedback", ctx -> {
                    authenticate(ctx);
                    feedback.handle(ctx);
                });
            }
            if (reports != null) {
                config.routes.get("/api/report", ctx -> {
                    authenticate(ctx);
                    reports.handle(ctx);
                });
                // The page itself is open: it holds no figures and asks its user for a key when /api/report wants one.
                config.routes.get(Dashboard.PAGE, dashboard::page);
                config.routes.get(Dashboard.FILES, dashboard::file);
            }
            config.routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            config.routes.get("/readyz", ctx -> {
                boolean ok = ready.getAsBoolean();
                ctx.status(ok ? 200 : 503).contentType("application/json")
                        .result(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
            });
            config.routes.exception(ApiError.class, (e, ctx) -> writeError(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error in request {}", (Object) ctx.attribute(REQUEST_ID), e);
                writeError(ctx, new ApiError(500, "server_error", "internal_error", null,
                        "internal error in the gateway; see its log for request " + ctx.attribute(REQUEST_ID), null));
            });
            config.routes.error(404, ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) {
                    writeError(ctx, ApiError.notFound("unknown_url", null, "Unknown request URL: " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> writeError(ctx, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                    "Method " + ctx.method() + " is not allowed on " + ctx.path(), null)));
        });
        app.start();
        return this;
    }

    /**
     * What the report and feedback endpoints need.
     *
     * @param clock decides "today" and the default period, and stamps feedback
     */
    public record Insights(ReportEngine reports, FeedbackStore feedback, Clock clock) {
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    private void authenticate(Context ctx) {
        if (apiKeys.isEmpty()) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("Missing API key: send 'Authorization: Bearer <key>' with one of the gateway's keys (server.api_keys)");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        for (byte[] key : apiKeys) {
            if (MessageDigest.isEqual(key, given)) {
                return;
            }
        }
        throw ApiError.unauthorized("Invalid API key for this gateway");
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
            e.put("triage_policy", ChatCompletions.policy(route));
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
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        if (e.param() == null) {
            error.putNull("param");
        } else {
            error.put("param", e.param());
        }
        error.put("code", e.code());
        if (e.status() == 429) {
            Duration wait = e.retryAfter() != null ? e.retryAfter() : Duration.ofSeconds(1);
            ctx.header("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        } else if (e.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (e.status() == 413) {
            ctx.header("Connection", "close");
        }
        try {
            ctx.status(e.status()).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (Exception impossible) {
            ctx.status(500).result("{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\",\"param\":null,\"code\":\"internal_error\"}}");
        }
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
