package dev.triage.ledger.jdbc;

import dev.triage.testing.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Runs against the PostgreSQL CI provides, in a schema of its own. */
class JdbcResponseStorePostgresqlTest extends JdbcResponseStoreContract {

    private PostgresSchema fresh;

    @Override
    String freshDatabase() throws SQLException {
        fresh = PostgresSchema.create("responses_test");
        return fresh.url();
    }

    @Override
    void dropDatabase() throws SQLException {
        fresh.close();
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withCredentials(PostgresSchema.USER, null);
    }

    @Override
    Connection plainConnection() throws SQLException {
        return DriverManager.getConnection(fresh.url(), PostgresSchema.USER, null);
    }
}
