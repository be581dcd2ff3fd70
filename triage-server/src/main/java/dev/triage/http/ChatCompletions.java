package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Usage;
import dev.triage.dispatch.DispatchException;
import dev.triage.dispatch.DispatchResult;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.dispatch.StreamListener;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.Deadline;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/chat/completions}: where a request enters Triage. */
final class ChatCompletions {

    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletions.class);
    private static final String NONE = "none";

    private final ChatRequestParser parser;
    private final Dispatcher dispatcher;
    private final PriceCatalog catalog;
    private final Duration requestTimeout;
    private final ObjectMapper json;

    ChatCompletions(ChatRequestParser parser, Dispatcher dispatcher, PriceCatalog catalog, Duration requestTimeout, ObjectMapper json) {
        this.parser = parser;
        this.dispatcher = dispatcher;
        this.catalog = catalog;
        this.requestTimeout = requestTimeout;
        this.json = json;
    }

    void handle(Context ctx, String requestId) throws IOException {
        byte[] body = parser.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong());
        ChatRequest request = parser.parse(body);
        List<ModelInfo> plan = plan(request.model());
        RequestContext rc = new RequestContext(requestId, request.model(), request.user(), null, null,
                Deadline.after(requestTimeout));
        ctx.header("x-triage-route", request.model());
        ctx.header("x-triage-task", NONE);
        ctx.header("x-triage-tier", NONE);
        ctx.header("x-triage-downgraded", "false");
        if (request.stream()) {
            stream(ctx, rc, request, plan);
        } else {
            complete(ctx, rc, request, plan);
        }
    }

    private List<ModelInfo> plan(String model) {
        ModelInfo info = catalog.find(model).orElseThrow(() -> ApiError.notFound("model_not_found", "model",
                "The model '" + model + "' does not exist in Triage's catalog or config; GET /v1/models lists what you can use"));
        List<ModelInfo> plan = dispatcher.plan(model);
        if (plan.isEmpty()) {
            throw ApiError.badRequest("model_not_available", "model", "The model '" + model + "' is served by provider '"
                    + info.provider() + "', which is not configured (is its API key set?), and it has no available fallback");
        }
        return plan;
    }

    private void complete(Context ctx, RequestContext rc, ChatRequest request, List<ModelInfo> plan) throws IOException {
        DispatchResult result;
        try {
            result = dispatcher.complete(rc, request, plan);
        } catch (DispatchException e) {
            throw failure(ctx, e);
        }
        ctx.header("x-triage-model", result.model());
        ctx.header("x-triage-attempts", String.join(",", result.attempts()));
        ctx.header("x-triage-cost-usd", result.cost().toUsdString());
        ctx.contentType("application/json");
        ctx.result(json.writeValueAsBytes(result.body()));
    }

    private void stream(Context ctx, RequestContext rc, ChatRequest request, List<ModelInfo> plan) throws IOException {
        HttpServletResponse res = ctx.res();
        SseStream[] sse = new SseStream[1];
        StreamListener listener = new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
                res.setStatus(200);
                res.setHeader("x-triage-model", model);
                res.setHeader("x-triage-attempts", String.join(",", attempts));
                res.setContentType("text/event-stream");
                res.setHeader("cache-control", "no-cache");
                res.setHeader("x-accel-buffering", "no");
                try {
                    sse[0] = new SseStream(res.getOutputStream(), json);
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }

            @Override
            public void onChunk(ObjectNode chunk) {
                sse[0].send(chunk);
            }
        };
        try {
            DispatchResult result = dispatcher.stream(rc, request, plan, listener);
            if (request.includeUsage()) {
                sse[0].send(usageChunk(rc, result));
            }
            sse[0].done();
        } catch (DispatchException e) {
            if (!e.streamStarted()) {
                throw failure(ctx, e);
            }
            // The client already has part of the answer: say what happened in-band rather than cutting silently.
            ObjectNode event = json.createObjectNode();
            ObjectNode error = event.putObject("error");
            error.put("message", "the upstream failed mid-stream: " + e.getMessage());
            error.put("type", ApiError.typeFor(e.kind().gatewayStatus()));
            error.putNull("param");
            error.put("code", e.kind().code());
            try {
                sse[0].send(event);
                sse[0].done();
            } catch (ClientGoneException gone) {
                LOG.debug("client left before the stream error could be sent: {}", rc.requestId());
            }
        } catch (ClientGoneException e) {
            LOG.debug("client disconnected mid-stream: {}", rc.requestId());
        }
    }

    private ObjectNode usageChunk(RequestContext rc, DispatchResult result) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", "chatcmpl-" + rc.requestId());
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", System.currentTimeMillis() / 1000);
        chunk.put("model", result.model());
        chunk.putArray("choices");
        Usage u = result.usage();
        ObjectNode usage = chunk.putObject("usage");
        usage.put("prompt_tokens", u.inputTokens());
        usage.put("completion_tokens", u.outputTokens());
        usage.put("total_tokens", u.totalTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedInputTokens());
        usage.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        ObjectNode triage = chunk.putObject("triage");
        triage.put("request_id", rc.requestId());
        triage.put("model", result.model());
        result.attempts().forEach(triage.putArray("attempts")::add);
        triage.put("cost_usd", result.cost().toUsdString());
        triage.put("usage_estimated", u.estimated());
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
