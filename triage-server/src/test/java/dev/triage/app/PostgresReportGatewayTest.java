package dev.triage.app;

import dev.triage.testing.PostgresSchema;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reports and feedback through the gateway with the ledger on the real PostgreSQL, in a schema of its own. */
class PostgresReportGatewayTest {

    private final PostgresSchema schema = PostgresSchema.create("report_gw");
    private final GatewayHarness gw;

    PostgresReportGatewayTest() throws SQLException {
        gw = new GatewayHarness("", schema.urlWithUser(), ReportApiGatewayTest.ROUTES,
                new MutableClock(Instant.parse("2026-03-10T12:00:00Z")));
    }

    @AfterEach
    void stop() throws SQLException {
        gw.close();
        schema.close();
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
