package dev.triage.app;

import dev.triage.testing.PostgresSchema;
import static dev.triage.app.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

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
