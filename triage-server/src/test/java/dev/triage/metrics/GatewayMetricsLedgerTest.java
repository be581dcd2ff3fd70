package dev.triage.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import dev.triage.ledger.LedgerHealth;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayMetricsLedgerTest {

    /** A ledger that has set aside 3 entries costing $0.0123 and a text, lost 2 entries, and spools 4 KiB. */
    private final LedgerHealth ledger = new LedgerHealth() {
        @Override
        public long droppedEntries() {
            return 2;
        }

        @Override
        public long droppedTexts() {
            return 0;
        }

        @Override
        public long deadLetterEntries() {
            return 3;
        }

        @Override
        public long deadLetterTexts() {
            return 1;
        }

        @Override
        public Money deadLetterCost() {
            return Money.ofUsd("0.0123");
        }

        @Override
        public long spooledBytes() {
            return 4_096;
        }
    };

    @Test
    void theLedgersDeadLettersTheirCostItsLossesAndItsSpoolAreReadAtScrapeTime() {
        GatewayMetrics metrics = new GatewayMetrics(Map.of());
        metrics.watchLedger(ledger);

        assertThat(Arrays.asList(metrics.scrape().split("\n"))).contains(
                "triage_ledger_dead_letters_total{kind=\"entry\"} 3.0",
                "triage_ledger_dead_letters_total{kind=\"text\"} 1.0",
                "triage_ledger_dead_letter_cost_usd_total 0.0123",
                "triage_ledger_dropped_total{kind=\"entry\"} 2.0",
                "triage_ledger_dropped_total{kind=\"text\"} 0.0",
                "triage_ledger_spool_bytes 4096.0");
    }
}
