package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcLedgerSqliteTest extends JdbcLedgerContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("triage-data").resolve("ledger.db");
    }

    @Override
    String url() {
        // A short busy timeout so a locked database fails a write quickly instead of waiting 5 s.
        return "sqlite:" + file() + "?busy_timeout=50";
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options;
    }

    @Override
    WriteLock holdWriteLock() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
        }
        return new WriteLock() {
            @Override
            public long storedRows() throws SQLException {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM ledger_attempts")) {
                    rows.next();
                    return rows.getLong(1);
                }
            }

            @Override
            public void close() throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                } finally {
                    connection.close();
                }
            }
        };
    }

    @Override
    void refuseRowsOf(String table, String requestId) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement()) {
            // RAISE(ABORT) fails the statement with SQLITE_CONSTRAINT, as a violated constraint would.
            statement.execute("CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table + " WHEN NEW.request_id = '"
                    + requestId + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }
    }

    @Test
    void shortFormCreatesTheDatabaseDirectoryAndUsesWal() throws SQLException {
        open(FAST).record(entry("req-1", 1));

        assertThat(Files.isRegularFile(file())).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void jdbcFormStoresTimesAsEpochMillisecondsAndBooleansAsIntegers() throws SQLException {
        Path other = dir.resolve("nested").resolve("jdbc-form.db");
        try (JdbcLedger ledger = JdbcLedger.open("jdbc:sqlite:" + other, FAST)) {
            ledger.record(entry("req-1", 1));
        }

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + other);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT created_at, typeof(created_at), usage_estimated, stream, cost_picousd FROM ledger_attempts")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(T0.toEpochMilli());
            assertThat(rows.getString(2)).isEqualTo("integer");
            assertThat(rows.getInt(3)).isZero();
            assertThat(rows.getInt(4)).isZero();
            assertThat(rows.getLong(5)).isEqualTo(1_024_000_000L);
        }
    }
}
