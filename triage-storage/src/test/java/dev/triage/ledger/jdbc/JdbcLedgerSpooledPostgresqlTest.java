package dev.triage.ledger.jdbc;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The whole ledger contract on PostgreSQL again, with every batch passing through a spool. */
class JdbcLedgerSpooledPostgresqlTest extends JdbcLedgerPostgresqlTest {

    @TempDir
    Path spoolDir;

    JdbcLedgerSpooledPostgresqlTest() throws SQLException {
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return super.connecting(options).withSpool(spoolDir, LedgerOptions.DEFAULT_SPOOL_MAX_BYTES);
    }
}
