package dev.triage.ledger.jdbc;

import dev.triage.testing.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs against the PostgreSQL CI provides, in a schema of its own. */
class JdbcReportsPostgresqlTest extends JdbcReportsContract {

    private static final String SERVER = PostgresSchema.SERVER;
    private static final String USER = PostgresSchema.USER;

    private PostgresSchema fresh;
    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        fresh = PostgresSchema.create("reports_test");
        schema = fresh.name();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLedger();
        fresh.close();
    }

    @Override
    String url() {
        return SERVER + "?currentSchema=" + schema;
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withCredentials(USER, null);
    }

    @Override
    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url());
        ds.setUser(USER);
        return ds;
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
