package dev.triage.ledger.jdbc;

/** The whole ledger contract on SQLite again, with every batch passing through a spool. */
class JdbcLedgerSpooledSqliteTest extends JdbcLedgerSqliteTest {

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withSpool(dir.resolve("spool"), LedgerOptions.DEFAULT_SPOOL_MAX_BYTES);
    }
}
