package dev.triage.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerAccessException;
import dev.triage.report.ReportPeriod;
import dev.triage.report.ReportScope;
import dev.triage.report.RequestCursor;
import dev.triage.report.RequestLog;
import dev.triage.report.RequestPage;
import dev.triage.report.RequestQuery;
import dev.triage.report.RequestSummary;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /api/requests?from=&to=&model=&route=&key=|team=&status=&limit=&page=}: the request log, newest first, a page
 * at a time ({@code next_page} is the next page's {@code page}). Amounts are exact decimals like the report's; the
 * prompt and answer text only when {@code storage.capture_text} is on.
 */
final class RequestsApi {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final Set<String> PARAMS = Set.of("from", "to", "model", "route", "key", "team", "status", "limit", "page");

    private final RequestLog log;
    private final Function<ReportScope, Set<String>> keysOf;
    private final Clock clock;
    private final LedgerOutage outage;
    private final boolean captureText;

    /** @param keysOf the virtual keys a key's or a team's scope covers ({@code ReportEngine.keyNames}) */
    RequestsApi(RequestLog log, Function<ReportScope, Set<String>> keysOf, Clock clock, LedgerOutage outage, boolean captureText) {
        this.log = log;
        this.keysOf = keysOf;
        this.clock = clock;
        this.outage = outage;
        this.captureText = captureText;
    }

    /**
     * @param caller the virtual key that asks, which sees its own requests only; null for a gateway key (or a gateway
     *               that asks for none), which sees every request
     */
    void handle(Context ctx, String requestId, VirtualKey caller) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(name)) {
                throw ApiError.badRequest(name, "unknown parameter '" + shortened(name) + "'; /api/requests takes " + String.join(", ", PARAMS.stream().sorted().toList()));
            }
        }
        ReportPeriod period;
        try {
            period = ReportPeriod.parse(ctx.queryParam("from"), ctx.queryParam("to"), clock.instant());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage().startsWith("to:") ? "to" : "from", e.getMessage());
        }
        String key = blankToNull(ctx.queryParam("key"));
        String team = blankToNull(ctx.queryParam("team"));
        if (key != null && team != null) {
            throw ApiError.badRequest("team", "give key or team, not both");
        }
        Set<String> keys;
        if (caller != null) {
            if (team != null || key != null && !key.equals(caller.name())) {
                throw new ApiError(403, ApiError.typeFor(403), "report_scope_not_allowed", team != null ? "team" : "key",
                        "A virtual key sees its own requests only; other keys' and teams' need a gateway key (server.api_keys)", null);
            }
            keys = Set.of(caller.name());
        } else if (team != null) {
            try {
                keys = keysOf.apply(new ReportScope(null, team));
            } catch (ReportScope.UnknownException e) {
                throw ApiError.badRequest("team", e.getMessage());
            }
        } else {
            keys = key == null ? null : Set.of(key);
        }
        RequestQuery query = new RequestQuery(period, blankToNull(ctx.queryParam("model")), blankToNull(ctx.queryParam("route")),
                keys, status(ctx.queryParam("status")), cursor(ctx.queryParam("page")), limit(ctx.queryParam("limit")), captureText);
        RequestPage page;
        try {
            page = log.requests(query);
        } catch (LedgerAccessException e) {
            throw outage.failed(e, requestId);
        }
        outage.succeeded();
        ctx.contentType("application/json").result(bytes(page));
    }

    private byte[] bytes(RequestPage page) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (RequestSummary r : page.requests()) {
            ObjectNode o = data.addObject();
            o.put("time", r.time().toString());
            o.put("request_id", r.requestId());
            o.put("key", r.key());
            o.put("route", r.route());
            o.put("model", r.model());
            ArrayNode models = o.putArray("models");
            r.models().forEach(models::add);
            o.put("attempts", r.attempts());
            o.put("input_tokens", r.inputTokens());
            o.put("output_tokens", r.outputTokens());
            o.put("cost_usd", r.cost().usd());
            o.put("latency_ms", r.latencyMs());
            o.put("ttft_ms", r.ttftMs());
            o.put("status", r.status().name().toLowerCase(Locale.ROOT));
            o.put("user", r.user());
            o.put("task", r.task());
            if (captureText) {
                o.put("prompt", r.prompt());
                o.put("answer", r.answer());
            }
        }
        root.put("has_more", page.next() != null);
        root.put("next_page", page.next() == null ? null : page.next().token());
        root.put("capture_text", captureText);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request page always serialises", e);
        }
    }

    private static AttemptStatus status(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw) {
            case "ok" -> AttemptStatus.OK;
            case "error" -> AttemptStatus.ERROR;
            case "cancelled" -> AttemptStatus.CANCELLED;
            default -> throw ApiError.badRequest("status", "status: expected ok, error or cancelled, not '" + shortened(raw) + "'");
        };
    }

    private static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return RequestQuery.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= RequestQuery.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiError.badRequest("limit", "limit: expected a whole number from 1 to " + RequestQuery.MAX_LIMIT + ", not '" + shortened(raw) + "'");
    }

    private static RequestCursor cursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return RequestCursor.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("page", e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String shortened(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
