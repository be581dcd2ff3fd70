package dev.triage.app;

import static dev.triage.app.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway against the real PostgreSQL on 127.0.0.1:5432 (database {@code test}), in a schema of its own. */
class PostgresLedgerGatewayTest {

    private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String schema = "gw_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final GatewayHarness gw;

    PostgresLedgerGatewayTest() throws SQLException {
        execute("create schema " + schema);
        gw = new GatewayHarness("", BASE + "?user=postgres&currentSchema=" + schema, "");
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
    void everyAttemptOfAFallbackRequestLandsInPostgresWithItsExactCost() {
        gw.primary.enqueue(OpenAiWire.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        gw.primary.enqueue(OpenAiWire.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        assertThat(r.statusCode()).isEqualTo(200);

        List<LedgerEntry> rows = gw.app.ledger().findByRequest(r.headers().firstValue("x-triage-request-id").orElseThrow());
        assertThat(rows).extracting(LedgerEntry::status).containsExactly(AttemptStatus.ERROR, AttemptStatus.ERROR, AttemptStatus.OK);
        assertThat(rows).extracting(LedgerEntry::provider).containsExactly("primary", "primary", "backup");
        assertThat(rows.getLast().cost()).isEqualTo(Money.ofUsd("0.000073"));
        assertThat(gw.app.ledger().count()).isEqualTo(3);
    }
}
