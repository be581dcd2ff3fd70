package dev.triage.ledger.jdbc;

import dev.triage.testing.PostgresSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.ledger.LedgerEntry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs against the PostgreSQL CI provides; an unreachable server fails these tests rather than skipping them. */
class JdbcLedgerPostgresqlTest extends JdbcLedgerContract {

    private static final String SERVER = PostgresSchema.SERVER;
    private static final String USER = PostgresSchema.USER;

    private PostgresSchema fresh;
    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        fresh = PostgresSchema.create("ledger_test");
        schema = fresh.name();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLedger();
        fresh.close();
    }

    @Override
    String url() {
        // A short lock timeout so a locked table fails a write quickly instead of waiting for the lock.
        return SERVER + "?currentSchema=" + schema + "&options=-c%20lock_timeout%3D100";
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withCredentials(USER, null);
    }

    @Override
    WriteLock holdWriteLock() throws SQLException {
        Connection connection = DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, null);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // EXCLUSIVE blocks INSERT but still lets this and other connections read.
            statement.execute("LOCK TABLE ledger_attempts IN EXCLUSIVE MODE");
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
                try {
                    connection.rollback();
                } finally {
                    connection.close();
                }
            }
        };
    }

    @Test
    void credentialsMayBeGivenInTheUrl() {
        try (JdbcLedger ledger = JdbcLedger.open(url() + "&user=" + USER, FAST)) {
            ledger.record(entry("req-1", 1));
            assertThat(ledger.count()).isEqualTo(1);
        }
    }

    @Test
    void unreachableDatabaseFailsOpenWithoutShowingThePassword() {
        assertThatThrownBy(() -> JdbcLedger.open("jdbc:postgresql://127.0.0.1:1/test?password=url-secret-1",
                FAST.withCredentials(USER, "option-secret-2")))
                .isInstanceOf(LedgerUnavailableException.class)
                .hasMessageStartingWith("cannot connect to the ledger database")
                .message().doesNotContain("url-secret-1", "option-secret-2");
    }

    @Test
    void timesAreStoredAsTimestampWithTimeZone() throws SQLException {
        JdbcLedger ledger = open(FAST);
        ledger.record(entry("req-1", 1));
        ledger.flush();

        try (Connection connection = DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, null);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT created_at, pg_typeof(created_at)::text, pg_typeof(cost_picousd)::text FROM ledger_attempts")) {
            rows.next();
            assertThat(rows.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(Dialect.toMillis(T0));
            assertThat(rows.getString(2)).isEqualTo("timestamp with time zone");
            assertThat(rows.getString(3)).isEqualTo("bigint");
        }
    }

    @Test
    void aRowThePostgresqlRejectsIsDroppedLoudlyWithoutHoldingBackItsBatch() {
        // PostgreSQL text cannot hold NUL; SQLite can, so this case exists only here.
        JdbcLedger ledger = open(FAST.withBatching(500, Duration.ofMillis(200)));
        LedgerEntry e = entry("req-nul", 2);
        LedgerEntry poisoned = new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(),
                e.usage(), e.cost(), e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(),
                "user\u0000nul", e.task(), e.tier(), e.time());

        ledger.record(entry("req-nul", 1));
        ledger.record(poisoned);
        ledger.record(entry("req-nul", 3));

        assertThat(keys(ledger.findByRequest("req-nul"))).containsExactly("req-nul#1", "req-nul#3");
        assertThat(ledger.droppedCount()).isEqualTo(1);
    }
}
