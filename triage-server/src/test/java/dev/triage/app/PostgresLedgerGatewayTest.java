package dev.triage.app;

import dev.triage.testing.PostgresSchema;
import static dev.triage.app.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway against the real PostgreSQL on 127.0.0.1:5432 (database {@code test}), in a schema of its own. */
class PostgresLedgerGatewayTest {

    private final PostgresSchema schema = PostgresSchema.create("gw_test");
    private final GatewayHarness gw;

    PostgresLedgerGatewayTest() throws SQLException {
        gw = new GatewayHarness("", schema.urlWithUser(), "");
    }

    @AfterEach
    void stop() throws SQLException {
        gw.close();
        schema.close();
    }

    @Test
    void anAttemptThePostgresqlRefusesIsADeadLetterCountedInMetricsAndShownInTheReport() throws SQLException {
        // Stands for any row PostgreSQL refuses for its own data; the ledger cannot know the rule in advance.
        schema.execute("ALTER TABLE " + schema.name() + ".ledger_attempts ADD CONSTRAINT no_poison CHECK (user_id <> 'poison')");
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> refused = gw.post("/v1/chat/completions",
                "{\"model\":\"fast\",\"user\":\"poison\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        HttpResponse<String> after = gw.post("/v1/chat/completions", chat("fast", false));
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(after.statusCode()).isEqualTo(200);

        assertThat(gw.ledgerOf(after)).hasSize(1);
        assertThat(gw.ledgerOf(refused)).isEmpty();
        assertThat(gw.app.ledger().deadLetters(10)).singleElement().satisfies(d -> {
            assertThat(d.requestId()).isEqualTo(refused.headers().firstValue("x-triage-request-id").orElseThrow());
            assertThat(d.cost()).isEqualTo(Money.ofUsd("0.000027"));
            assertThat(d.errorCode()).isEqualTo("23514");
        });
        assertThat(gw.get("/metrics").body()).contains("triage_ledger_dead_letters_total{kind=\"entry\"} 1.0",
                "triage_ledger_dead_letter_cost_usd_total 2.7E-5");
        JsonNode report = GatewayHarness.json(gw.get("/api/report").body());
        assertThat(report.at("/dead_letters/entries").asLong()).isEqualTo(1);
        assertThat(report.at("/dead_letters/cost_picousd").asLong()).isEqualTo(27_000_000L);
        assertThat(report.at("/requests").asLong()).isEqualTo(1);
    }

    @Test
    void everyAttemptOfAFallbackRequestLandsInPostgresWithItsExactCost() {
        gw.primary.enqueue(OpenAiWire.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        gw.primary.enqueue(OpenAiWire.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        assertThat(r.statusCode()).isEqualTo(200);

        List<LedgerEntry> rows = gw.ledgerOf(r);
        assertThat(rows).extracting(LedgerEntry::status).containsExactly(AttemptStatus.ERROR, AttemptStatus.ERROR, AttemptStatus.OK);
        assertThat(rows).extracting(LedgerEntry::provider).containsExactly("primary", "primary", "backup");
        assertThat(rows.getLast().cost()).isEqualTo(Money.ofUsd("0.000073"));
        assertThat(gw.app.ledger().count()).isEqualTo(3);
    }
}
