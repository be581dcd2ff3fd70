package dev.triage.ledger.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs against the PostgreSQL CI provides, in a schema of its own. */
class JdbcReportsPostgresqlTest extends JdbcReportsContract {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = "reports_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(SERVER, USER, null);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLedger();
        try (Connection admin = DriverManager.getConnection(SERVER, USER, null);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
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
