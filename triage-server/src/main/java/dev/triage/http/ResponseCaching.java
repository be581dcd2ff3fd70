package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Money;
import dev.triage.dispatch.RequestContext;
import dev.triage.ledger.CacheLookup;
import dev.triage.provider.ClientGoneException;
import dev.triage.responsecache.CacheStatus;
import dev.triage.responsecache.CachedAnswer;
import dev.triage.responsecache.ResponseCache;
import dev.triage.responsecache.StreamedAnswer;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The response cache at the door: looks a request up, answers a hit (as JSON or as a stream) without
 * calling a model, keeps a missed request's answer once it is complete, and records every lookup in
 * the ledger ({@link CacheLookup}). A hit costs nothing and goes through no budget; it is recorded with
 * what it saved.
 */
public final class ResponseCaching {

    /** Request: {@code off} bypasses the cache for this request ({@code on}, the default, uses it). */
    static final String HEADER = "x-triage-cache";
    /** Response: {@code hit-exact}, {@code hit-semantic}, {@code miss} or {@code bypass}. */
    static final String STATUS_HEADER = "x-triage-cache-status";
    /** Response, on a hit: the request whose answer was served again. */
    static final String SOURCE_HEADER = "x-triage-cache-source";

    private final ResponseCache cache;
    private final Consumer<CacheLookup> record;
    private final Clock clock;

    /** @param record where each lookup goes: the ledger (and metrics) */
    public ResponseCaching(ResponseCache cache, Consumer<CacheLookup> record, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.record = Objects.requireNonNull(record, "record");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Looks the request up and says what was found in {@link #STATUS_HEADER}. */
    ResponseCache.Lookup lookup(Context ctx, String tenant, ChatRequest request, Hints hints) {
        String said = ctx.header(HEADER);
        boolean off = false;
        if (said != null) {
            switch (said.strip().toLowerCase(Locale.ROOT)) {
                case "off" -> off = true;
                case "on" -> { }
                default -> throw ApiError.badRequest("invalid_header", HEADER, "x-triage-cache must be 'on' or 'off'");
            }
        }
        ResponseCache.Lookup lookup = cache.lookup(tenant, request, hints, off);
        ctx.header(STATUS_HEADER, lookup.status().wire());
        return lookup;
    }

    /** Answers a hit: the cached answer under this request's id, with no cost. */
    void serve(Context ctx, RequestContext rc, ChatRequest request, ResponseCache.Lookup hit, RequestFacts facts, ObjectMapper json,
               Reply reply) throws IOException {
        CachedAnswer answer = hit.answer();
        long now = clock.millis();
        CompletionShape shape = CompletionShape.ofRequest(rc.requestId(), now / 1000, answer.model());
        facts.model(answer.model());
        ctx.header("x-triage-model", answer.model());
        ctx.header("x-triage-cost-usd", Money.ZERO.toUsdString());
        ctx.header(SOURCE_HEADER, answer.requestId());
        // Recorded before the answer goes out: a client that leaves mid-stream still got (part of) it.
        record.accept(new CacheLookup(rc.requestId(), request.model(), answer.model(), hit.status().wire(), answer.cost(),
                answer.requestId(), request.stream(), request.user(), rc.apiKey(), clock.instant()));
        if (!request.stream()) {
            ObjectNode body = answer.completion().deepCopy();
            body.put("id", shape.id());
            body.put("created", shape.created());
            ctx.contentType("application/json");
            ctx.result(json.writeValueAsBytes(reply.body(body)));
            return;
        }
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setHeader("cache-control", "no-cache");
        res.setHeader("x-accel-buffering", "no");
        try {
            Reply.Stream sse = reply.open(new SseStream(res.getOutputStream(), json));
            for (ObjectNode chunk : StreamedAnswer.replay(answer.completion(), shape)) {
                facts.chunkSent();
                sse.chunk(chunk);
            }
            sse.finish(usageChunk(shape, answer, hit.status(), rc));
        } catch (ClientGoneException e) {
            facts.failed(200, "client_disconnected");
        }
    }

    private static ObjectNode usageChunk(CompletionShape shape, CachedAnswer answer, CacheStatus status, RequestContext rc) {
        ObjectNode chunk = shape.chunk(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), null);
        chunk.putArray("choices");
        JsonNode usage = answer.completion().get("usage");
        if (usage != null) {
            chunk.set("usage", usage.deepCopy());
        }
        ObjectNode triage = chunk.putObject("triage");
        triage.put("request_id", rc.requestId());
        triage.put("model", answer.model());
        triage.putArray("attempts");
        triage.put("cost_usd", Money.ZERO.toUsdString());
        triage.put("cache", status.wire());
        triage.put("cache_source", answer.requestId());
        return chunk;
    }

    /**
     * A missed lookup's request is over: keeps its answer when there is a complete one, and records the miss.
     *
     * @param model      the model that answered, or null when none did
     * @param completion the answer the client got, complete, or null (failed, cut, or not every choice finished)
     * @param cost       what the request cost, every attempt
     */
    void missed(ResponseCache.Lookup miss, RequestContext rc, ChatRequest request, String model, ObjectNode completion, Money cost) {
        if (model != null && completion != null && finished(completion)) {
            cache.keep(miss, new CachedAnswer(completion, model, cost, rc.requestId(), clock.instant()));
        }
        record.accept(new CacheLookup(rc.requestId(), request.model(), model == null ? request.model() : model,
                CacheStatus.MISS.wire(), Money.ZERO, null, request.stream(), request.user(), rc.apiKey(), clock.instant()));
    }

    /** Every choice ended with a finish reason: nothing was cut. */
    private static boolean finished(ObjectNode completion) {
        JsonNode choices = completion.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return false;
        }
        for (JsonNode c : choices) {
            if (!c.path("finish_reason").isTextual()) {
                return false;
            }
        }
        return true;
    }
}
