package dev.triage.http;

import dev.triage.keys.VirtualKey;
import dev.triage.ledger.LedgerAccessException;
import dev.triage.report.Report;
import dev.triage.report.ReportEngine;
import dev.triage.report.ReportJson;
import dev.triage.report.ReportPeriod;
import dev.triage.report.ReportScope;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * {@code GET /api/report?from=&to=[&key=|&team=]}: the cost report as JSON (see {@link ReportJson}),
 * over all requests or those of one virtual key or one team's keys.
 */
final class ReportApi {

    private final ReportEngine engine;
    private final Clock clock;
    private final LedgerOutage outage;

    ReportApi(ReportEngine engine, Clock clock, LedgerOutage outage) {
        this.engine = engine;
        this.clock = clock;
        this.outage = outage;
    }

    /**
     * @param caller the virtual key that asks, whose own requests are all it may see; null for a gateway key
     *               (or a gateway that asks for none), which sees everything
     */
    void handle(Context ctx, String requestId, VirtualKey caller) {
        String from = ctx.queryParam("from");
        String to = ctx.queryParam("to");
        ReportPeriod period;
        try {
            period = ReportPeriod.parse(from, to, clock.instant());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String param = message.startsWith("to:") ? "to" : "from";
            throw ApiError.badRequest(param, message);
        }
        ReportScope scope;
        try {
            scope = ReportScope.of(ctx.queryParam("key"), ctx.queryParam("team"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(ctx.queryParam("key") != null ? "key" : "team", e.getMessage());
        }
        if (caller != null) {
            if (scope.team() != null || scope.key() != null && !scope.key().equals(caller.name())) {
                throw new ApiError(403, ApiError.typeFor(403), "report_scope_not_allowed", scope.team() != null ? "team" : "key",
                        "A virtual key sees its own spend only; the whole report, other keys and teams need a gateway key (server.api_keys)", null);
            }
            scope = new ReportScope(caller.name(), null);
        }
        Report report;
        try {
            report = engine.report(period, scope);
        } catch (ReportScope.UnknownException e) {
            throw ApiError.badRequest(scope.key() != null ? "key" : "team", e.getMessage());
        } catch (LedgerAccessException e) {
            throw outage.failed(e, requestId);
        }
        outage.succeeded();
        ctx.contentType("application/json").result(ReportJson.bytes(caller == null ? report : report.withoutGatewayFigures()));
    }
}
