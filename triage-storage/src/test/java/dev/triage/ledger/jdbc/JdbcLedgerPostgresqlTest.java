package dev.triage.ledger.jdbc;

import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.testing.PostgresSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.triage.ledger.LedgerEntry;
import dev.triage.report.ReportPeriod;
import dev.triage.report.UserUsage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs against the PostgreSQL CI provides; an unreachable server fails these tests rather than skipping them. */
class JdbcLedgerPostgresqlTest extends JdbcLedgerContract {

    private final PostgresSchema schema = PostgresSchema.create("ledger_test");

    JdbcLedgerPostgresqlTest() throws SQLException {
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLedger();
        schema.close();
    }

    @Override
    String url() {
        // A short lock timeout so a locked table fails a write quickly instead of waiting for the lock.
        return schema.url() + "&options=-c%20lock_timeout%3D100";
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options.withCredentials(PostgresSchema.USER, null);
    }

    @Override
    WriteLock holdWriteLock() throws SQLException {
        Connection connection = schema.connect();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // EXCLUSIVE blocks INSERT but still lets this and other connections read.
            statement.execute("LOCK TABLE ledger_attempts IN EXCLUSIVE MODE");
        }
        return new WriteLock(connection);
    }

    @Override
    void refuseRowsOf(String table, String requestId) throws SQLException {
        schema.execute("ALTER TABLE " + schema.name() + "." + table + " ADD CONSTRAINT refuse_" + table
                + " CHECK (request_id <> '" + requestId + "')");
    }

    @Test
    void credentialsMayBeGivenInTheUrl() {
        try (JdbcLedger ledger = JdbcLedger.open(url() + "&user=" + PostgresSchema.USER, FAST)) {
            ledger.record(entry("req-1", 1));
            assertThat(ledger.count()).isEqualTo(1);
        }
    }

    @Test
    void unreachableDatabaseFailsOpenWithoutShowingThePassword() {
        assertThatThrownBy(() -> JdbcLedger.open("jdbc:postgresql://127.0.0.1:1/test?password=url-secret-1",
                FAST.withCredentials(PostgresSchema.USER, "option-secret-2")))
                .isInstanceOf(LedgerUnavailableException.class)
                .hasMessageStartingWith("cannot connect to the ledger database")
                .message().doesNotContain("url-secret-1", "option-secret-2");
    }

    @Test
    void timesAreStoredAsTimestampWithTimeZone() throws SQLException {
        JdbcLedger ledger = open(FAST);
        ledger.record(entry("req-1", 1));
        ledger.flush();

        try (Connection connection = schema.connect();
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
    void aUserWithNulIsStoredWithAReplacementCharacterInsteadOfBeingDropped() {
        // PostgreSQL text cannot hold NUL (SQLState 22021): the row used to vanish, and the money with it.
        JdbcLedger ledger = open(FAST.withBatching(500, Duration.ofMillis(200)));
        ledger.record(entry("req-nul", 1));
        ledger.record(forUser(entry("req-nul", 2), "evil\u0000user"));
        ledger.record(entry("req-nul", 3));

        assertThat(ledger.findByRequest("req-nul")).extracting(LedgerEntry::attempt, LedgerEntry::user)
                .containsExactly(tuple(1, null), tuple(2, "evil\uFFFDuser"), tuple(3, null));
        assertThat(ledger.reports().users(new ReportPeriod(EPOCH, FAR_FUTURE))).extracting(UserUsage::user)
                .containsExactlyInAnyOrder("evil\uFFFDuser", null);
        assertThat(ledger.droppedCount()).isZero();
        assertThat(ledger.deadLetterEntries()).isZero();
    }

    @Test
    void anEightThousandCharacterUserNoLongerStopsTheLedger() {
        // Used to fail every batch: "index row size ... exceeds btree maximum" on ledger_daily_users.
        JdbcLedger ledger = open(FAST.withFlushTimeout(Duration.ofSeconds(10)));
        ledger.record(forUser(entry("req-poison", 1), randomBase64(8_000, 7)));
        for (int i = 0; i < 20; i++) {
            ledger.record(entry("req-" + i, 1));
        }

        assertThat(ledger.count()).isEqualTo(21);
        assertThat(utf8Bytes(ledger.findByRequest("req-poison").getFirst().user())).isLessThanOrEqualTo(Storable.USER_BYTES);
        assertThat(ledger.droppedCount()).isZero();
    }

    @Test
    void aSpoolStuckOnAnEightThousandCharacterUserDrainsWhenTheLedgerRestarts() throws Exception {
        // The spool as the old ledger left it: the overlong entry among 22 others that never reached the database.
        Path spool = scratch.resolve("stuck");
        Files.createDirectories(spool);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        lines.write(EntryJson.encode(forUser(entry("req-poison", 1), randomBase64(8_000, 11))));
        for (int i = 0; i < 22; i++) {
            lines.write(EntryJson.encode(entry("req-" + i, 1)));
        }
        Files.write(spool.resolve("segment-0000000000000003.jsonl"), lines.toByteArray());

        JdbcLedger ledger = openSpooled(spool, FAST.withFlushTimeout(Duration.ofSeconds(10)));

        assertThat(ledger.spooledBytes()).isZero();
        assertThat(ledger.count()).isEqualTo(23);
        assertThat(ledger.droppedCount()).isZero();
    }
}
