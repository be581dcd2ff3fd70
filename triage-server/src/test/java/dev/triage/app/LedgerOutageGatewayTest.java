package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.testing.PostgresSchema;
import dev.triage.testing.TcpProxy;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL ledger unreachable (a {@link TcpProxy} cut) under a running gateway: {@code /readyz}
 * says so, and the 503 {@code ledger_unavailable} that reports and feedback answer tells the client
 * nothing of the gateway's insides (no spool path, no database error): those go to the log, once.
 */
class LedgerOutageGatewayTest {

    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(30);

    private final PostgresSchema schema = PostgresSchema.create("gw_outage");
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
    private GatewayHarness gw;

    LedgerOutageGatewayTest() throws SQLException {
    }

    @AfterEach
    void stop() throws SQLException {
        if (gw != null) {
            proxy.restore();
            gw.close();
        }
        proxy.close();
        schema.close();
    }

    private GatewayHarness start(String storageExtra) {
        gw = new GatewayHarness("", storageExtra, schema.urlWithUser(proxy), "", Clock.systemUTC());
        return gw;
    }

    /** Polls {@code /readyz} until its body says {@code expected}; returns that response. */
    private HttpResponse<String> readyzUntil(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + NOTICED_WITHIN.toNanos();
        while (true) {
            HttpResponse<String> r = gw.get("/readyz");
            if (r.body().contains(expected) || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void whileTheDatabaseIsDownReadyzSaysDegradedAndClientsAreToldNothingInternal() throws Exception {
        start("");
        assertThat(readyzUntil("ready").body()).isEqualTo("{\"status\":\"ready\",\"ledger\":\"up\",\"budget_store\":\"up\"}");
        Logger outageLog = (Logger) LoggerFactory.getLogger("dev.triage.http.LedgerOutage");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        outageLog.addAppender(logs);
        try {
            proxy.cut();

            // With a spool every entry is still kept (durably), so the gateway stays in service: 200, degraded.
            HttpResponse<String> degraded = readyzUntil("degraded");
            assertThat(degraded.statusCode()).isEqualTo(200);
            assertThat(degraded.body()).isEqualTo("{\"status\":\"degraded\",\"ledger\":\"spooling\",\"budget_store\":\"up\"}");

            HttpResponse<String> feedback = gw.post("/v1/feedback", "{\"request_id\":\"req_1\",\"score\":1}");
            HttpResponse<String> report = gw.get("/api/report");
            for (HttpResponse<String> r : List.of(feedback, report)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("retry-after")).isPresent();
                JsonNode error = json(r.body()).get("error");
                assertThat(error.get("code").asText()).isEqualTo("ledger_unavailable");
                assertThat(error.get("message").asText())
                        .isEqualTo("The ledger database is unavailable; nothing was read or stored. Retry later.");
                assertThat(r.body()).doesNotContain(gw.dir().toString()).doesNotContain("spool").doesNotContain("127.0.0.1")
                        .doesNotContain("Connection").doesNotContain("SQL").doesNotContain("postgres");
            }
            // The operator gets the details, once for the outage rather than once per request.
            List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst().getFormattedMessage()).contains("cannot");
        } finally {
            outageLog.detachAppender(logs);
        }

        proxy.restore();
        HttpResponse<String> back = readyzUntil("ready");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo("{\"status\":\"ready\",\"ledger\":\"up\",\"budget_store\":\"up\"}");
    }

    @Test
    void withoutASpoolReadyzIs503WhileTheDatabaseIsDown() throws Exception {
        start(", spool_max_bytes: 0");
        assertThat(readyzUntil("ready").statusCode()).isEqualTo(200);

        proxy.cut();

        // Entries would wait in memory only: take this gateway out of rotation.
        HttpResponse<String> r = readyzUntil("degraded");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"status\":\"degraded\",\"ledger\":\"unavailable\",\"budget_store\":\"up\"}");
    }
}
