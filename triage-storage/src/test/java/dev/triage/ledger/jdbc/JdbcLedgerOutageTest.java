package dev.triage.ledger.jdbc;

import static dev.triage.ledger.jdbc.JdbcLedgerContract.entry;
import static dev.triage.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.testing.PostgresSchema;
import dev.triage.testing.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL going away and coming back, as the ledger sees it. The machine's PostgreSQL keeps running
 * (other tests use it): the ledger connects through a {@link TcpProxy} that the test cuts (connections
 * reset, new ones refused), freezes (connections hang) and restores. Counts are read over a direct
 * connection that the outage does not touch.
 */
class JdbcLedgerOutageTest {

    private static final LedgerOptions FAST = JdbcLedgerContract.FAST.withCredentials(PostgresSchema.USER, null)
            .withFlushTimeout(Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
    private final PostgresSchema schema = PostgresSchema.create("ledger_outage");

    JdbcLedgerOutageTest() throws SQLException {
    }

    @AfterEach
    void dropSchema() throws SQLException {
        proxy.close();
        schema.close();
    }

    private String url() {
        return schema.urlWithUser(proxy);
    }

    private JdbcLedger open(Path spool, LedgerOptions options) {
        return JdbcLedger.open(url(), options.withSpool(spool, options.spoolMaxBytes()));
    }

    @Test
    void entriesRecordedWhilePostgresqlIsUnreachableWaitInTheSpoolAndLandExactlyOnceWhenItReturns() throws Exception {
        Path spool = dir.resolve("spool");
        try (JdbcLedger ledger = open(spool, FAST)) {
            record(ledger, "before", 50);
            ledger.flush();

            proxy.cut();
            record(ledger, "during", 500);
            // Durable on disk while the database is unreachable: every entry is a line in a segment file.
            await(() -> linesIn(spool) == 550, "all 550 entries spooled");
            JdbcLedgerContract.awaitFailedWrites(ledger, 1);
            assertThat(stored()).isEqualTo(50);
            assertThat(ledger.spooledBytes()).isPositive();

            proxy.restore();
            ledger.flush();

            assertThat(stored()).isEqualTo(550);
            assertThat(distinctKeys()).isEqualTo(550);
            assertThat(ledger.spooledBytes()).isZero();
            assertThat(ledger.droppedCount()).isZero();
        }
        assertThat(segments(spool)).isEmpty();
    }

    @Test
    void aHungDatabaseHoldsNoEntryInMemoryOnlyAndNothingIsLostWhenItWakesUp() throws Exception {
        Path spool = dir.resolve("spool");
        try (JdbcLedger ledger = open(spool, FAST)) {
            record(ledger, "before", 10);
            ledger.flush();

            proxy.freeze();
            record(ledger, "hung", 200);
            // The drainer is stuck in a write that gets no answer; the writer goes on spooling regardless.
            await(() -> linesIn(spool) == 210, "all 210 entries spooled while the database hangs");
            assertThat(stored()).isEqualTo(10);

            proxy.thaw();
            ledger.flush();
            assertThat(stored()).isEqualTo(210);
            assertThat(distinctKeys()).isEqualTo(210);
            assertThat(ledger.droppedCount()).isZero();
        }
    }

    @Test
    void closingWhilePostgresqlIsDownKeepsTheEntriesSpooledAndTheNextOpenWritesThemFirst() throws Exception {
        Path spool = dir.resolve("spool");
        JdbcLedger ledger = open(spool, FAST);
        proxy.cut();
        record(ledger, "stranded", 300);
        JdbcLedgerContract.awaitFailedWrites(ledger, 1);

        long started = System.nanoTime();
        ledger.close();
        // A database that keeps failing gets about a second more, not the whole 30 s flush timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(linesIn(spool)).isEqualTo(300);
        assertThat(ledger.droppedCount()).isZero();
        assertThat(stored()).isZero();

        proxy.restore();
        try (JdbcLedger reopened = open(spool, FAST)) {
            // Written during open, before it returned.
            assertThat(stored()).isEqualTo(300);
            assertThat(reopened.spooledBytes()).isZero();
        }
        assertThat(segments(spool)).isEmpty();
    }

    @Test
    void aSpoolLeftByAKilledProcessIsReplayedAtOpenAndRowsAlreadyStoredAreNotDuplicated() throws Exception {
        Path running = dir.resolve("running");
        Path leftover = dir.resolve("leftover");
        try (JdbcLedger ledger = open(running, FAST)) {
            record(ledger, "committed", 100);
            ledger.flush();
            proxy.cut();
            record(ledger, "spooled", 200);
            await(() -> linesIn(running) == 300, "all 300 entries spooled");

            // What a process killed at this moment leaves on disk, plus a write the kill cut in half.
            Files.createDirectories(leftover);
            for (Path segment : segments(running)) {
                Files.copy(segment, leftover.resolve(segment.getFileName()));
            }
            byte[] half = EntryJson.encode(entry("torn", 1));
            Files.write(segments(leftover).getLast(), java.util.Arrays.copyOf(half, half.length / 2),
                    StandardOpenOption.APPEND);

            proxy.restore();
            try (JdbcLedger next = open(leftover, FAST)) {
                assertThat(stored()).isEqualTo(300);
                assertThat(next.droppedCount()).isZero();
            }
            // The running ledger drains its own copy of the same rows: still no duplicates.
            ledger.flush();
            assertThat(stored()).isEqualTo(300);
            assertThat(distinctKeys()).isEqualTo(300);
        }
    }

    @Test
    void whenTheSpoolFillsUpDuringAnOutageTheOverflowIsDroppedAndCountedAndTheRestArrives() throws Exception {
        Path spool = dir.resolve("spool");
        try (JdbcLedger ledger = open(spool, FAST.withSpool(null, 64 * 1024))) {
            proxy.cut();
            record(ledger, "flood", 1_000);
            await(() -> ledger.droppedCount() + linesIn(spool) == 1_000, "every entry spooled or dropped");
            assertThat(ledger.droppedCount()).isPositive();

            proxy.restore();
            ledger.flush();
            assertThat(stored()).isEqualTo(1_000 - ledger.droppedCount()).isEqualTo(linesIn(spool));
        }
    }

    private static void record(JdbcLedger ledger, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            ledger.record(entry(prefix + "-" + i, 1));
        }
    }

    private long stored() throws SQLException {
        return query("SELECT COUNT(*) FROM " + schema.name() + ".ledger_attempts");
    }

    private long distinctKeys() throws SQLException {
        return query("SELECT COUNT(DISTINCT (request_id, attempt)) FROM " + schema.name() + ".ledger_attempts");
    }

    private long query(String sql) throws SQLException {
        return Long.parseLong(schema.column(sql).getFirst());
    }

    static List<Path> segments(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> p.getFileName().toString().matches("segment-\\d+\\.jsonl")).sorted().toList();
        }
    }

    /** Complete lines in the spool's segment files: entries written to disk, committed or not. */
    static long linesIn(Path spool) {
        try {
            long lines = 0;
            for (Path segment : segments(spool)) {
                for (byte b : Files.readAllBytes(segment)) {
                    if (b == '\n') {
                        lines++;
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
