package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.caching.PromptCachePolicy;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.PromptCache;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Money;
import dev.triage.responsecache.CacheStatus;
import dev.triage.responsecache.ResponseCache;
import dev.triage.responsecache.StreamedAnswer;
import dev.triage.dispatch.DispatchException;
import dev.triage.dispatch.DispatchResult;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.keys.KeyAccount;
import dev.triage.keys.VirtualKey;
import dev.triage.analysis.Hints;
import dev.triage.learn.PromptText;
import dev.triage.routing.Decision;
import dev.triage.routing.RouteExecutor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.RoutingException;
import dev.triage.dispatch.StreamListener;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.Deadline;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/chat/completions}: where a request enters Triage. */
final class ChatCompletions {

    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletions.class);
    private static final String NONE = "none";
    /** Request: on, off, 5m or 1h; response: what was chosen, with the session. */
    static final String PROMPT_CACHE_HEADER = "x-triage-prompt-cache";
    /** Request: the client's own conversation id. */
    static final String SESSION_HEADER = "x-triage-session";
    /** The error code metrics give a stream whose client left before the end. */
    private static final String CLIENT_GONE = "client_disconnected";

    private final ChatRequestParser parser;
    private final RouteExecutor executor;
    private final Dispatcher dispatcher;
    private final PriceCatalog catalog;
    private final Duration requestTimeout;
    private final ObjectMapper json;
    private final TextCapture capture;
    private final KeyGate keys;
    private final PromptCachePolicy promptCache;
    private final ResponseCaching responses;

    /**
     * @param capture   where answered requests' text goes, or null when {@code storage.capture_text} is off
     * @param responses the response cache, or null for none
     */
    ChatCompletions(ChatRequestParser parser, RouteExecutor executor, Dispatcher dispatcher, PriceCatalog catalog,
                    Duration requestTimeout, ObjectMapper json, TextCapture capture, KeyGate keys, PromptCachePolicy promptCache,
                    ResponseCaching responses) {
        this.keys = keys;
        this.responses = responses;
        this.promptCache = promptCache;
        this.parser = parser;
        this.executor = executor;
        this.dispatcher = dispatcher;
        this.catalog = catalog;
        this.requestTimeout = requestTimeout;
        this.json = json;
        this.capture = capture;
    }

    /**
     * @param body the request body, read by the caller under the body budget
     * @param key    the virtual key the request came with, or null
     * @param tenant who is asking, for the response cache: answers are never shared between tenants
     */
    void handle(Context ctx, String requestId, RequestFacts facts, byte[] body, VirtualKey key, String tenant) throws IOException {
        ChatRequest request = parser.parse(body);
        handle(ctx, requestId, facts, request, key, tenant, new ChatReply(request.includeUsage()));
    }

    /**
     * Serves a request that came in at another door, translated into Chat Completions ({@code /v1/responses}):
     * the same routing, budgets, ledger, headers and response cache; only the answer's wire format differs.
     *
     * @param request the translated request, checked by {@link ChatRequestParser#check}
     * @param reply   writes the answer in the door's format
     */
    void handle(Context ctx, String requestId, RequestFacts facts, ChatRequest request, VirtualKey key, String tenant, Reply reply)
            throws IOException {
        try {
            request = request.withCache(promptCache.choose(request, ctx.header(PROMPT_CACHE_HEADER), ctx.header(SESSION_HEADER)));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_header", PROMPT_CACHE_HEADER, e.getMessage());
        }
        PromptCache cache = request.cache();
        ctx.header(PROMPT_CACHE_HEADER, cache.enabled() ? "on; ttl=" + cache.ttl().wire() + "; session=" + cache.session() : "off");
        Hints hints = RoutingHints.from(ctx, request);
        Optional<RouteSpec> route = executor.router().route(request.model());
        KeyAccount account = key == null ? null : keys.admit(key, request.model(), route.isPresent());
        if (route.isEmpty()) {
            checkModel(request.model());
        }
        facts.target(request.model(), route.map(RouteSpec::policy).orElse("model"), request.stream());
        // A caller's shorter latency hint shortens the gateway's deadline, and is marked so: missing it is not the upstream's fault.
        Deadline deadline = hints.maxLatency() == null ? Deadline.after(requestTimeout) : Deadline.after(requestTimeout).within(hints.maxLatency());
        RequestContext rc = new RequestContext(requestId, request.model(), request.user(), null, null, deadline);
        if (key != null) {
            rc = rc.withApiKey(key.name());
        }
        ctx.header("x-triage-route", request.model());
        ResponseCache.Lookup lookup = responses == null ? null : responses.lookup(ctx, tenant, request, hints);
        if (lookup != null && lookup.status().hit()) {
            responses.serve(ctx, rc, request, lookup, facts, json, reply);
            return;
        }
        Miss miss = lookup != null && lookup.status() == CacheStatus.MISS ? new Miss(lookup) : null;
        try {
            if (request.stream()) {
                stream(ctx, rc, request, hints, facts, account, miss, reply);
            } else {
                complete(ctx, rc, request, hints, facts, account, miss, reply);
            }
        } catch (RoutingException e) {
            throw new ApiError(e.status(), ApiError.typeFor(e.status()), e.code(), e.status() == 400 ? "model" : null,
                    e.getMessage(), e.retryAfter());
        } finally {
            if (miss != null) {
                responses.missed(miss.lookup, rc, request, miss.model, miss.completion, miss.cost);
            }
        }
    }

    /** A missed lookup, and what its request came to: the answer to keep, once there is a complete one. */
    private static final class Miss {
        final ResponseCache.Lookup lookup;
        String model;
        ObjectNode completion;
        Money cost = Money.ZERO;

        Miss(ResponseCache.Lookup lookup) {
            this.lookup = lookup;
        }

        void answered(String model, ObjectNode completion, Money cost) {
            this.model = model;
            this.completion = completion;
            this.cost = cost;
        }
    }

    private void checkModel(String model) {
        ModelInfo info = catalog.find(model).orElseThrow(() -> ApiError.notFound("model_not_found", "model",
                "The model '" + model + "' is not a route or a model in Triage's catalog or config; GET /v1/models lists what you can use"));
        if (dispatcher.plan(model).isEmpty()) {
            throw ApiError.badRequest("model_not_available", "model", "The model '" + model + "' is served by provider '"
                    + info.provider() + "', which is not configured (is its API key set?), and it has no available fallback");
        }
    }

    private static void decisionHeaders(Context ctx, Decision d) {
        ctx.header("x-triage-task", d.profile().taskType().name());
        ctx.header("x-triage-tier", d.tier() == null ? NONE : d.tier());
        ctx.header("x-triage-downgraded", Boolean.toString(d.downgraded()));
        ctx.header("x-triage-policy", d.policy());
        if (!d.predicted().isEmpty()) {
            ctx.header("x-triage-predicted-quality", predicted(d));
        }
        d.reasons().stream().filter(r -> r.startsWith("cache-aware: ")).reduce((a, b) -> b)
                .ifPresent(r -> ctx.header("x-triage-route-reason", r));
        if (d.contextArm() != null) {
            ctx.header("x-triage-context", d.contextArm());
        }
    }

    /** A learned route's predictions, in the plan's order: {@code fast=0.91,steady=0.97}. */
    static String predicted(Decision d) {
        StringBuilder b = new StringBuilder();
        d.predicted().forEach((model, q) -> b.append(b.isEmpty() ? "" : ",").append(model).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.2f", q)));
        return b.toString();
    }

    private void complete(Context ctx, RequestContext rc, ChatRequest request, Hints hints, RequestFacts facts, KeyAccount account,
                          Miss miss, Reply reply) throws IOException {
        RouteExecutor.Outcome outcome;
        try {
            outcome = executor.complete(rc, request, hints, account);
        } catch (RouteExecutor.Failure f) {
            facts.decided(f.decision());
            facts.tried(f.dispatch().attempts(), f.escalations());
            decisionHeaders(ctx, f.decision());
            throw failure(ctx, f.dispatch());
        }
        facts.decided(outcome.decision());
        facts.tried(outcome.attempts(), outcome.escalations());
        facts.model(outcome.result().model());
        decisionHeaders(ctx, outcome.decision());
        ctx.header("x-triage-model", outcome.result().model());
        ctx.header("x-triage-attempts", String.join(",", outcome.attempts()));
        ctx.header("x-triage-cost-usd", outcome.cost().toUsdString());
        if (!outcome.confidences().isEmpty()) {
            ctx.header("x-triage-confidence", String.join(",", outcome.confidences()));
        }
        ctx.contentType("application/json");
        ctx.result(json.writeValueAsBytes(reply.body(outcome.result().body())));
        if (miss != null) {
            miss.answered(outcome.result().model(), outcome.result().body(), outcome.cost());
        }
        if (capture != null) {
            JsonNode choice = outcome.result().body().path("choices").path(0);
            JsonNode content = choice.path("message").path("content");
            capture.keep(rc.requestId(), request.model(), outcome.result().model(), PromptText.of(request.messages()),
                    content.isTextual() ? content.textValue() : null, textOrNull(choice.path("finish_reason")));
        }
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.textValue() : null;
    }

    private void stream(Context ctx, RequestContext rc, ChatRequest request, Hints hints, RequestFacts facts, KeyAccount account,
                        Miss miss, Reply reply) throws IOException {
        HttpServletResponse res = ctx.res();
        Reply.Stream[] sse = new Reply.Stream[1];
        StreamedAnswer answer = capture == null && miss == null ? null : new StreamedAnswer();
        StreamListener listener = new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
                facts.model(model);
                res.setStatus(200);
                res.setHeader("x-triage-model", model);
                res.setHeader("x-triage-attempts", String.join(",", attempts));
                res.setContentType("text/event-stream");
                res.setHeader("cache-control", "no-cache");
                res.setHeader("x-accel-buffering", "no");
                try {
                    sse[0] = reply.open(new SseStream(res.getOutputStream(), json));
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }

            @Override
            public void onChunk(ObjectNode chunk) {
                facts.chunkSent();
                sse[0].chunk(chunk);
                if (answer != null) {
                    answer.add(chunk);
                }
            }
        };
        try {
            // The routing headers go out with the first byte, so they are set as soon as the decision is made.
            RouteExecutor.Outcome outcome = executor.stream(rc, request, hints, d -> {
                facts.decided(d);
                decisionHeaders(ctx, d);
            }, listener, account);
            facts.tried(outcome.attempts(), outcome.escalations());
            facts.model(outcome.result().model());
            ObjectNode usageChunk = usageChunk(rc, outcome);
            // Kept before [DONE] goes out, so a client that has its answer can rate it and find the text stored.
            if (capture != null) {
                capture.keep(rc.requestId(), request.model(), outcome.result().model(), PromptText.of(request.messages()),
                        answer.text(), answer.finishReason());
            }
            if (miss != null) {
                DispatchResult result = outcome.result();
                miss.answered(result.model(), answer.complete() ? answer.completion(CompletionShape.ofRequest(rc.requestId(),
                        System.currentTimeMillis() / 1000, result.model()), result.usage()) : null, outcome.cost());
            }
            sse[0].finish(usageChunk);
        } catch (RouteExecutor.Failure f) {
            DispatchException e = f.dispatch();
            facts.tried(e.attempts(), f.escalations());
            if (!e.streamStarted()) {
                throw failure(ctx, e);
            }
            facts.failed(200, e.kind().code());
            // The client already has part of the answer: say what happened in-band rather than cutting silently.
            ObjectNode error = json.createObjectNode();
            error.put("message", "the upstream failed mid-stream: " + e.getMessage());
            error.put("type", ApiError.typeFor(e.kind().gatewayStatus()));
            error.putNull("param");
            error.put("code", e.kind().code());
            try {
                sse[0].fail(error);
            } catch (ClientGoneException gone) {
                LOG.debug("client left before the stream error could be sent: {}", rc.requestId());
            }
        } catch (ClientGoneException e) {
            facts.failed(200, CLIENT_GONE);
            LOG.debug("client disconnected mid-stream: {}", rc.requestId());
        }
    }

    /** The closing chunk of a stream whose client asked for usage, with what Triage did in {@code triage}. */
    private static ObjectNode usageChunk(RequestContext rc, RouteExecutor.Outcome outcome) {
        DispatchResult result = outcome.result();
        ObjectNode chunk = CompletionShape.ofRequest(rc.requestId(), System.currentTimeMillis() / 1000, result.model())
                .usageChunk(result.usage());
        ObjectNode triage = chunk.putObject("triage");
        triage.put("request_id", rc.requestId());
        triage.put("model", result.model());
        outcome.attempts().forEach(triage.putArray("attempts")::add);
        triage.put("cost_usd", outcome.cost().toUsdString());
        triage.put("route", outcome.decision().route());
        triage.put("task", outcome.decision().profile().taskType().name());
        triage.put("tier", outcome.decision().tier());
        triage.put("downgraded", outcome.decision().downgraded());
        triage.put("usage_estimated", result.usage().estimated());
        return chunk;
    }

    private static ApiError failure(Context ctx, DispatchException e) {
        if (!e.attempts().isEmpty()) {
            ctx.header("x-triage-attempts", String.join(",", e.attempts()));
        }
        ctx.header("x-triage-cost-usd", e.cost().toUsdString());
        int status = e.kind().gatewayStatus();
        return new ApiError(status, ApiError.typeFor(status), e.kind().code(), null, e.getMessage(), e.retryAfter());
    }
}
