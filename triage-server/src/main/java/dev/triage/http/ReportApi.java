package dev.triage.http;

import dev.triage.ledger.LedgerAccessException;
import dev.triage.report.Report;
import dev.triage.report.ReportEngine;
import dev.triage.report.ReportJson;
import dev.triage.report.ReportPeriod;
import io.javalin.http.Context;
import java.time.Clock;

/** {@code GET /api/report?from=&to=}: the cost report as JSON (see {@link ReportJson}). */
final class ReportApi {

    private final ReportEngine engine;
    private final Clock clock;
    private final LedgerOutage outage;

    ReportApi(ReportEngine engine, Clock clock, LedgerOutage outage) {
        this.engine = engine;
        this.clock = clock;
        this.outage = outage;
    }

    void handle(Context ctx, String requestId) {
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
        Report report;
        try {
            report = engine.report(period);
        } catch (LedgerAccessException e) {
            throw outage.failed(e, requestId);
        }
        outage.succeeded();
        ctx.contentType("application/json").result(ReportJson.bytes(report));
    }
}
