package dev.triage.ledger.jdbc;

import dev.triage.testing.PostgresSchema;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs against the PostgreSQL CI provides, in a schema of its own. */
class JdbcReportsPostgresqlTest extends JdbcReportsContract {

    private final PostgresSchema schema = PostgresSchema.create("reports_test");

    JdbcReportsPostgresqlTest() throws SQLException {
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLedger();
        schema.close();
    }

    @Override
    String url() {
        return schema.url();
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withCredentials(PostgresSchema.USER, null);
    }

    @Override
    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url());
        ds.setUser(PostgresSchema.USER);
        return ds;
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
