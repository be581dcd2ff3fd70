package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The whole ledger contract on SQLite again, with every batch passing through a spool. */
class JdbcLedgerSpooledSqliteTest extends JdbcLedgerSqliteTest {

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withSpool(dir.resolve("spool"), LedgerOptions.DEFAULT_SPOOL_MAX_BYTES);
    }

    @Test
    @Disabled("with a spool the writer empties the queue onto disk, so a locked database cannot fill it:"
            + " see withASpoolALockedDatabaseNeitherFillsTheQueueNorLosesEntries")
    @Override
    void fullQueueDropsAndCountsEntriesAfterTheEnqueueTimeout() {
    }

    @Test
    void withASpoolALockedDatabaseNeitherFillsTheQueueNorLosesEntries() throws SQLException {
        JdbcLedger ledger = open(FAST.withQueueCapacity(10).withEnqueueTimeout(Duration.ofSeconds(1)));
        try (WriteLock lock = holdWriteLock()) {
            for (int i = 0; i < 1_000; i++) {
                ledger.record(entry("req-" + i, 1));
            }
            assertThat(lock.storedRows()).isZero();
            assertThat(ledger.droppedCount()).isZero();
        }

        assertThat(ledger.count()).isEqualTo(1_000);
        assertThat(ledger.spooledBytes()).isZero();
    }
}
