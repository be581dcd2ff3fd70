package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reports and feedback through the gateway with the ledger on the real PostgreSQL, in a schema of its own. */
class PostgresReportGatewayTest {

    private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String schema = "report_gw_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final GatewayHarness gw;

    PostgresReportGatewayTest() throws SQLException {
        execute("create schema " + schema);
        gw = new GatewayHarness("", BASE + "?user=postgres&currentSchema=" + schema, ReportApiGatewayTest.ROUTES,
                new MutableClock(Instant.parse("2026-03-10T12:00:00Z")));
    }

    @AfterEach
    void stop() throws SQLException {
        gw.close();
        execute("drop schema " + schema + " cascade");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(BASE, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void theReportAndFeedbackAgreeWithTheTrafficOnPostgresql() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false));
        gw.primary.enqueue(OpenAiWire.json(503, ReportApiGatewayTest.OVERLOADED));
        gw.primary.enqueue(OpenAiWire.json(503, ReportApiGatewayTest.OVERLOADED));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> second = gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false));
        String feedback = "{\"request_id\":\"%s\",\"score\":%s}";
        assertThat(gw.post("/v1/feedback", feedback.formatted(ReportApiGatewayTest.id(first), "0.5")).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/feedback", feedback.formatted(ReportApiGatewayTest.id(second), "1")).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/feedback", feedback.formatted("req_nope", "1")).statusCode()).isEqualTo(404);

        JsonNode j = ReportApiGatewayTest.decimals(gw.get("/api/report").body());

        assertThat(j.at("/total_cost_usd").decimalValue()).isEqualByComparingTo("0.0001");
        assertThat(j.at("/requests").asLong()).isEqualTo(2);
        assertThat(j.at("/attempts").asLong()).isEqualTo(4);
        assertThat(j.at("/fallbacks").asLong()).isEqualTo(1);
        assertThat(j.at("/by_model/0/name").asText()).isEqualTo("steady");
        assertThat(j.at("/by_model/0/share_pct").decimalValue()).isEqualByComparingTo("73.00");
        assertThat(j.at("/quality/by_model/0/name").asText()).isEqualTo("fast");
        assertThat(j.at("/quality/by_model/0/mean").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(j.at("/quality/by_model/1/mean").decimalValue()).isEqualByComparingTo("1");
        assertThat(j.at("/daily/29/cost_usd").decimalValue()).isEqualByComparingTo("0.0001");
    }
}
