package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.ledger.CapturedText;
import dev.triage.testing.PostgresSchema;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text capture through the gateway and {@code triage train --from-ledger} with the ledger on the real PostgreSQL. */
class PostgresLedgerTrainingGatewayTest {

    @Test
    void capturedTextOfPlainAndStreamedAnswersTrainsARouterOnPostgresql() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("train_gw");
             GatewayHarness gw = new GatewayHarness("", LedgerTrainingGatewayTest.CAPTURE, schema.urlWithUser(), "",
                     Clock.systemUTC())) {
            List<String> ids = LedgerTrainingGatewayTest.ratedTraffic(gw);

            CapturedText streamed = gw.app.ledger().findText(ids.get(1)).orElseThrow();
            assertThat(streamed.prompt()).isEqualTo(LedgerTrainingGatewayTest.prompt(1));
            assertThat(streamed.answer()).isEqualTo(LedgerTrainingGatewayTest.answer(1));
            assertThat(gw.app.ledger().textCount()).isEqualTo(60);

            LedgerTrainingGatewayTest.trainsOnTheRatedTraffic(gw, "jdbc:postgresql://127.0.0.1:5432/test");
        }
    }
}
