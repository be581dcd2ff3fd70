package dev.triage.http;

import dev.triage.ledger.jdbc.LedgerUnavailableException;
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

    ReportApi(ReportEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    void handle(Context ctx) {
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
        } catch (LedgerUnavailableException e) {
            throw FeedbackApi.ledgerUnavailable(e);
        }
        ctx.contentType("application/json").result(ReportJson.bytes(report));
    }
}
