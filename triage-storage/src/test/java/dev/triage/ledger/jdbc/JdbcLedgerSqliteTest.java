package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import dev.triage.chat.Money;
import dev.triage.ledger.LedgerEntry;
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
        return new WriteLock(connection);
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
    void aDeadLetterWrittenBackAsASpoolSegmentIsStoredOnceItsCauseIsGone() throws Exception {
        JdbcLedger ledger = open(FAST);
        refuseRowsOf("ledger_attempts", "req-poison");
        LedgerEntry poison = costing("req-poison", 1, Money.ofUsd("0.5"));
        ledger.record(poison);
        List<DeadLetter> dead = ledger.deadLetters(10);
        closeLedger();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TRIGGER refuse_ledger_attempts"); // the cause, fixed
        }

        // The README's replay: the entry_json column, one line each, as a spool segment.
        Path spool = dir.resolve("replay");
        Files.createDirectories(spool);
        Files.writeString(spool.resolve("segment-0000000000000000.jsonl"),
                dead.stream().map(d -> d.json() + "\n").collect(Collectors.joining()));
        JdbcLedger replayed = openSpooled(spool, FAST);

        assertThat(replayed.findByRequest("req-poison")).containsExactly(new LedgerEntry(poison.requestId(), 1,
                poison.route(), poison.model(), poison.provider(), poison.usage(), Money.ofUsd("0.5"), poison.latencyMs(),
                null, poison.status(), null, poison.httpStatus(), false, null, null, null, Dialect.toMillis(T0)));
        assertThat(replayed.spooledBytes()).isZero();
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
