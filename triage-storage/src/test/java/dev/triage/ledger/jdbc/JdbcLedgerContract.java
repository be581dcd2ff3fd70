package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.feedback.Feedback;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.report.DeadLetterRow;
import dev.triage.testing.Eventually;
import dev.triage.report.ReportPeriod;
import dev.triage.report.UserUsage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every ledger database must do; subclasses supply a fresh database and a way to lock it. */
abstract class JdbcLedgerContract {

    static final Instant T0 = Instant.parse("2026-03-14T09:26:53.589793238Z");
    static final Instant EPOCH = Instant.EPOCH;
    static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    /** Short timeouts so outages are noticed and survived within a test's time. */
    static final LedgerOptions FAST = LedgerOptions.defaults()
            .withMaxRetryBackoff(Duration.ofMillis(100))
            .withBatching(500, Duration.ofMillis(10));

    private JdbcLedger ledger;

    @TempDir
    Path scratch;

    /** A URL of a fresh, empty database for this test. */
    abstract String url();

    /** Options this database needs (credentials) on top of the given ones. */
    abstract LedgerOptions connecting(LedgerOptions options);

    /** Takes the database's write lock from another connection, as a stand-in for the database being down. */
    abstract WriteLock holdWriteLock() throws SQLException;

    /**
     * Makes the database refuse every row of {@code table} (a migrated ledger table with a
     * {@code request_id} column) for that request, as a constraint violation: a row bad in itself.
     */
    abstract void refuseRowsOf(String table, String requestId) throws SQLException;

    /** The write lock {@code connection} holds in its open transaction; closing rolls that back and closes it. */
    record WriteLock(Connection connection) implements AutoCloseable {
        /** Rows in ledger_attempts as seen by the locking connection. */
        long storedRows() throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM ledger_attempts")) {
                rows.next();
                return rows.getLong(1);
            }
        }

        /** Releases the lock. */
        @Override
        public void close() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ROLLBACK");
            } finally {
                connection.close();
            }
        }
    }

    JdbcLedger open(LedgerOptions options) {
        ledger = JdbcLedger.open(url(), connecting(options));
        return ledger;
    }

    /** Opens with a spool in {@code spool} (whatever spool {@link #connecting} would choose). */
    JdbcLedger openSpooled(Path spool, LedgerOptions options) {
        ledger = JdbcLedger.open(url(), connecting(options).withSpool(spool, LedgerOptions.DEFAULT_SPOOL_MAX_BYTES));
        return ledger;
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }

    static LedgerEntry entry(String requestId, int attempt) {
        return new LedgerEntry(requestId, attempt, "cheap-chat", "gpt-4.1-mini", "openai",
                new Usage(1_200, 340, 1_000, 0, 0, false), new Money(1_024_000_000L), 812, null, AttemptStatus.OK,
                null, 200, false, null, null, null, T0);
    }

    static LedgerEntry at(String requestId, Instant time) {
        LedgerEntry e = entry(requestId, 1);
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), e.cost(),
                e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(), e.task(),
                e.tier(), time);
    }

    static LedgerEntry costing(String requestId, int attempt, Money cost) {
        LedgerEntry e = entry(requestId, attempt);
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), cost,
                e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(), e.task(),
                e.tier(), e.time());
    }

    /** {@code request#attempt} for entries, {@code request#text} for captured texts. */
    static List<String> keys(List<? extends LedgerRecord> records) {
        return records.stream().map(r -> r.requestId() + "#" + switch (r) {
            case LedgerEntry e -> String.valueOf(e.attempt());
            case CapturedText t -> "text";
            case CacheLookup c -> "cache";
        }).toList();
    }

    @Test
    void everyFieldRoundTripsWithTimeAtMillisecondPrecision() {
        JdbcLedger ledger = open(FAST);
        LedgerEntry full = new LedgerEntry("req-full", 2, "smart", "claude-sonnet-4", "anthropic",
                new Usage(3_000_000_123L, 2_000_000_456L, 1_500_000_000L, 250_000_000L, 1_000_000_001L, true),
                new Money(9_007_199_254_740_993L), new Money(-187_500_000_000L), 4_321, 187L, AttemptStatus.ERROR, "RATE_LIMITED",
                429, true, "user-42", "code", "premium", "stage 1/3",
                "cascade: gemini-2.0-flash (confidence 0.42 < 0.9) -> escalate", T0, "ci-bot", "compact");
        LedgerEntry sparse = new LedgerEntry("req-full", 1, "smart", "gpt-4.1", "openai", Usage.ZERO, Money.ZERO,
                0, null, AttemptStatus.CANCELLED, null, 0, false, null, null, null, Instant.ofEpochMilli(1));

        ledger.record(full);
        ledger.record(sparse);

        assertThat(ledger.findByRequest("req-full")).containsExactly(sparse,
                new LedgerEntry("req-full", 2, "smart", "claude-sonnet-4", "anthropic",
                        new Usage(3_000_000_123L, 2_000_000_456L, 1_500_000_000L, 250_000_000L, 1_000_000_001L, true),
                        new Money(9_007_199_254_740_993L), new Money(-187_500_000_000L), 4_321, 187L, AttemptStatus.ERROR,
                        "RATE_LIMITED", 429, true, "user-42", "code", "premium", "stage 1/3",
                        "cascade: gemini-2.0-flash (confidence 0.42 < 0.9) -> escalate", Instant.parse("2026-03-14T09:26:53.589Z"),
                        "ci-bot", "compact"));
    }

    static CapturedText text(String requestId, String answer, Instant time) {
        return new CapturedText(requestId, "smart", "gpt-4.1-mini", "You are terse.\nWhat is 2+2? ✓", answer, "stop", time);
    }

    @Test
    void capturedTextsRoundTripAndARequestKeepsItsFirstText() {
        JdbcLedger ledger = open(FAST);
        CapturedText streamed = text("req-text", "4\n\n\"four\"", T0);
        CapturedText toolCall = new CapturedText("req-tool", "gpt-4.1", "gpt-4.1", "Weather in Paris?", null, "tool_calls", T0);

        ledger.recordText(streamed);
        ledger.recordText(toolCall);
        ledger.recordText(text("req-text", "a replayed spool line", T0));

        assertThat(ledger.findText("req-text")).contains(text("req-text", "4\n\n\"four\"", Instant.parse("2026-03-14T09:26:53.589Z")));
        assertThat(ledger.findText("req-tool")).hasValueSatisfying(t -> {
            assertThat(t.answer()).isNull();
            assertThat(t.finishReason()).isEqualTo("tool_calls");
        });
        assertThat(ledger.findText("req-none")).isEmpty();
        assertThat(ledger.textCount()).isEqualTo(2);
        assertThat(ledger.count()).isZero();
        assertThat(ledger.droppedTextCount()).isZero();
    }

    @Test
    void feedbackTextsJoinEachRatedRequestToItsTextAndCountTheRatedOnesWithout() {
        JdbcLedger ledger = open(FAST);
        Instant t = Instant.parse("2026-03-10T10:00:00Z");
        for (String id : List.of("req-1", "req-2", "req-3", "req-4")) {
            ledger.record(at(id, t));
            t = t.plusSeconds(60);
        }
        ledger.recordText(text("req-1", "four", Instant.parse("2026-03-10T10:00:01Z")));
        ledger.recordText(text("req-2", "five", Instant.parse("2026-03-10T10:01:01Z")));
        ledger.recordText(text("req-4", "unrated", Instant.parse("2026-03-10T10:03:01Z")));
        Instant rated = Instant.parse("2026-03-10T11:00:00Z");
        for (String[] f : new String[][] {{"req-2", "0.25"}, {"req-1", "0.5"}, {"req-1", "1"}, {"req-3", "1"}}) {
            assertThat(ledger.reports().record(new Feedback(f[0], new BigDecimal(f[1]), null, rated)))
                    .isTrue();
        }

        FeedbackTexts all = ledger.feedbackTexts(new ReportPeriod(Instant.parse("2026-03-10T00:00:00Z"),
                Instant.parse("2026-03-11T00:00:00Z")));

        assertThat(all.requestsWithFeedback()).isEqualTo(3);
        assertThat(all.rated()).extracting(r -> r.text().requestId()).containsExactly("req-1", "req-2");
        assertThat(all.rated().get(0).ratings()).isEqualTo(2);
        assertThat(all.rated().get(0).meanScore()).isEqualTo(0.75);
        assertThat(all.rated().get(0).text().answer()).isEqualTo("four");
        assertThat(all.rated().get(1).meanScore()).isEqualTo(0.25);
        // the period selects by when the request started, not when it was rated
        FeedbackTexts later = ledger.feedbackTexts(new ReportPeriod(Instant.parse("2026-03-10T10:00:30Z"),
                Instant.parse("2026-03-10T10:02:00Z")));
        assertThat(later.requestsWithFeedback()).isEqualTo(1);
        assertThat(later.rated()).extracting(r -> r.text().requestId()).containsExactly("req-2");
    }

    @Test
    void costsAreStoredAsExactPicodollars() {
        JdbcLedger ledger = open(FAST);
        List<Money> costs = List.of(Money.ofUsd("0.000000000001"), Money.ofUsd("0.01875"),
                new Money(9_007_199_254_740_993L), new Money(Long.MAX_VALUE), new Money(-3));
        for (int i = 0; i < costs.size(); i++) {
            ledger.record(costing("req-cost", i + 1, costs.get(i)));
        }

        assertThat(ledger.findByRequest("req-cost")).extracting(LedgerEntry::cost).containsExactlyElementsOf(costs);
    }

    @Test
    void findByRequestReturnsOnlyThatRequestOrderedByAttempt() {
        JdbcLedger ledger = open(FAST);
        ledger.record(entry("req-a", 3));
        ledger.record(entry("req-b", 1));
        ledger.record(entry("req-a", 1));
        ledger.record(entry("req-a", 2));

        assertThat(keys(ledger.findByRequest("req-a"))).containsExactly("req-a#1", "req-a#2", "req-a#3");
        assertThat(ledger.findByRequest("req-missing")).isEmpty();
    }

    @Test
    void replayedAttemptIsStoredOnceKeepingTheFirstWrite() {
        JdbcLedger ledger = open(FAST);
        ledger.record(costing("req-dup", 1, new Money(100)));
        ledger.record(costing("req-dup", 1, new Money(200)));
        ledger.flush();
        ledger.record(costing("req-dup", 1, new Money(300)));

        assertThat(ledger.findByRequest("req-dup")).extracting(LedgerEntry::cost).containsExactly(new Money(100));
        assertThat(ledger.count()).isEqualTo(1);
    }

    @Test
    void tenThousandConcurrentRecordsFromVirtualThreadsLandExactlyOnce() {
        JdbcLedger ledger = open(FAST);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10_000; i++) {
                String requestId = "req-" + (i / 4);
                int attempt = i % 4 + 1;
                threads.submit(() -> ledger.record(entry(requestId, attempt)));
            }
        }

        List<LedgerEntry> stored = ledger.findBetween(EPOCH, FAR_FUTURE, 20_000);
        assertThat(stored).hasSize(10_000);
        assertThat(keys(stored)).doesNotHaveDuplicates();
        assertThat(ledger.findByRequest("req-1234")).extracting(LedgerEntry::attempt).containsExactly(1, 2, 3, 4);
        assertThat(ledger.droppedCount()).isZero();
    }

    @Test
    void recordReturnsWhileTheDatabaseIsLockedAndTheRowsArriveAfterwards() throws SQLException {
        JdbcLedger ledger = open(FAST);
        try (WriteLock lock = holdWriteLock()) {
            for (int i = 0; i < 1_000; i++) {
                ledger.record(entry("req-" + i, 1));
            }
            // All thousand calls came back while the writer could not write a single row.
            assertThat(lock.storedRows()).isZero();
        }

        assertThat(ledger.count()).isEqualTo(1_000);
    }

    @Test
    void writerRetriesThroughAnOutageWithoutLosingOrDuplicatingRows() throws Exception {
        JdbcLedger ledger = open(FAST);
        ledger.record(entry("req-before", 1));
        ledger.flush();

        try (WriteLock lock = holdWriteLock()) {
            for (int i = 0; i < 200; i++) {
                ledger.record(entry("req-" + i, 1));
            }
            awaitFailedWrites(ledger, 2);
            assertThat(lock.storedRows()).isEqualTo(1);
        }

        List<LedgerEntry> stored = ledger.findBetween(EPOCH, FAR_FUTURE, 1_000);
        assertThat(stored).hasSize(201);
        assertThat(keys(stored)).doesNotHaveDuplicates();
        assertThat(ledger.droppedCount()).isZero();
    }

    @Test
    void flushGivesUpAfterItsTimeoutWhileTheDatabaseIsUnavailable() throws SQLException {
        JdbcLedger ledger = open(FAST.withFlushTimeout(Duration.ofMillis(300)));
        try (WriteLock lock = holdWriteLock()) {
            ledger.record(entry("req-stuck", 1));
            assertThatThrownBy(ledger::flush)
                    .isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageStartingWith("the ledger database did not accept writes within 300 ms");
        }

        assertThat(ledger.findByRequest("req-stuck")).hasSize(1);
    }

    /** Whether {@link #connecting} puts every batch through a spool (the {@code Spooled} variants of this suite). */
    private boolean spooled() {
        return connecting(LedgerOptions.defaults()).spoolDir() != null;
    }

    @Test
    void fullQueueDropsAndCountsEntriesAfterTheEnqueueTimeout() throws SQLException {
        assumeFalse(spooled(), "with a spool the writer empties the queue onto disk, so a locked database cannot fill it:"
                + " see withASpoolALockedDatabaseNeitherFillsTheQueueNorLosesEntries");
        // The writer holds one row while it retries; the queue holds ten more.
        JdbcLedger ledger = open(FAST.withQueueCapacity(10).withBatching(1, Duration.ZERO)
                .withEnqueueTimeout(Duration.ofMillis(5)));
        try (WriteLock lock = holdWriteLock()) {
            for (int i = 0; i < 100; i++) {
                ledger.record(entry("req-" + i, 1));
            }
            assertThat(ledger.droppedCount()).isBetween(89L, 90L);
        }

        assertThat(ledger.count() + ledger.droppedCount()).isEqualTo(100);
    }

    @Test
    void withASpoolALockedDatabaseNeitherFillsTheQueueNorLosesEntries() throws SQLException {
        assumeTrue(spooled(), "only the spooled variants put batches through a spool");
        JdbcLedger ledger = open(FAST.withQueueCapacity(10).withEnqueueTimeout(Duration.ofSeconds(1)));
        try (WriteLock lock = holdWriteLock()) {
            for (int i = 0; i < 1_000; i++) {
                ledger.record(entry("req-" + i, 1));
            }
            assertThat(lock.storedRows()).isZero();
            assertThat(ledger.droppedCount()).isZero();
        }

        assertThat(ledger.count()).isEqualTo(1_000);
        assertThat(ledger.spooledBytes()).isZero();
    }

    @Test
    void findBetweenIsHalfOpenOldestFirstAndLimited() {
        JdbcLedger ledger = open(FAST);
        Instant base = Instant.parse("2026-05-01T00:00:00Z");
        ledger.record(at("req-3", base.plusSeconds(3)));
        ledger.record(at("req-0", base));
        ledger.record(at("req-2", base.plusSeconds(2)));
        ledger.record(at("req-1", base.plusSeconds(1)));
        ledger.record(at("req-before", base.minusMillis(1)));

        assertThat(keys(ledger.findBetween(base, base.plusSeconds(3), 10))).containsExactly("req-0#1", "req-1#1", "req-2#1");
        assertThat(keys(ledger.findBetween(base, base.plusSeconds(3), 2))).containsExactly("req-0#1", "req-1#1");
        assertThat(ledger.findBetween(base, base.plusSeconds(3), 1).getFirst().time()).isEqualTo(base);
    }

    @Test
    void reopeningAMigratedDatabaseKeepsItsRows() {
        try (JdbcLedger first = JdbcLedger.open(url(), connecting(FAST))) {
            first.record(entry("req-first", 1));
        }

        JdbcLedger second = open(FAST);
        second.record(entry("req-second", 1));

        assertThat(keys(second.findBetween(EPOCH, FAR_FUTURE, 10))).containsExactlyInAnyOrder("req-first#1", "req-second#1");
    }

    @Test
    void closeWritesEverythingQueued() {
        try (JdbcLedger lingering = JdbcLedger.open(url(), connecting(FAST.withBatching(500, Duration.ofSeconds(5))))) {
            for (int i = 0; i < 100; i++) {
                lingering.record(entry("req-" + i, 1));
            }
        }

        assertThat(open(FAST).count()).isEqualTo(100);
    }

    @Test
    void recordAfterCloseIsDroppedAndCounted() {
        JdbcLedger closed = JdbcLedger.open(url(), connecting(FAST));
        closed.close();

        closed.record(entry("req-late", 1));

        assertThat(closed.droppedCount()).isEqualTo(1);
        assertThatThrownBy(closed::flush).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordRejectsAnEntryWithoutItsRequiredFields() {
        JdbcLedger ledger = open(FAST);
        LedgerEntry e = entry("req-x", 1);
        LedgerEntry noModel = new LedgerEntry(e.requestId(), e.attempt(), e.route(), null, e.provider(), e.usage(),
                e.cost(), e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(),
                e.task(), e.tier(), e.time());

        assertThatThrownBy(() -> ledger.record(noModel)).isInstanceOf(NullPointerException.class).hasMessage("model");
        assertThat(ledger.count()).isZero();
    }

    static LedgerEntry withTexts(LedgerEntry e, String route, String model, String provider, String errorKind, String user,
                                 String task, String tier, String step, String decision) {
        return new LedgerEntry(e.requestId(), e.attempt(), route, model, provider, e.usage(), e.cost(), e.latencyMs(),
                e.ttftMs(), e.status(), errorKind, e.httpStatus(), e.stream(), user, task, tier, step, decision, e.time());
    }

    static LedgerEntry forUser(LedgerEntry e, String user) {
        return withTexts(e, e.route(), e.model(), e.provider(), e.errorKind(), user, e.task(), e.tier(), e.step(), e.decision());
    }

    /** {@code chars} random base64 characters, as in the issue's poison request. */
    static String randomBase64(int chars, long seed) {
        byte[] bytes = new byte[chars];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).substring(0, chars);
    }

    static int utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aRowTheDatabaseRefusesBecomesADeadLetterAndTheEntriesBehindItAreWritten() throws SQLException {
        // One batch: the refused row sits in the middle of the transaction that would carry the others.
        JdbcLedger ledger = open(FAST.withBatching(500, Duration.ofMillis(300)));
        refuseRowsOf("ledger_attempts", "req-poison");
        LedgerEntry poison = costing("req-poison", 1, Money.ofUsd("0.0123"));

        ledger.record(entry("req-0", 1));
        ledger.record(poison);
        for (int i = 1; i <= 20; i++) {
            ledger.record(entry("req-" + i, 1));
        }

        assertThat(ledger.count()).isEqualTo(21);
        assertThat(ledger.findByRequest("req-poison")).isEmpty();
        assertThat(ledger.deadLetters(10)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DeadLetter.Kind.ENTRY);
            assertThat(d.requestId()).isEqualTo("req-poison");
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.cost()).isEqualTo(Money.ofUsd("0.0123"));
            assertThat(d.time()).isEqualTo(Dialect.toMillis(T0));
            assertThat(d.record()).isEqualTo(poison);
            assertThat(d.errorCode()).isNotBlank();
            assertThat(d.error()).contains("refuse");
        });
        assertThat(ledger.deadLetterEntries()).isEqualTo(1);
        assertThat(ledger.deadLetterCost()).isEqualTo(Money.ofUsd("0.0123"));
        assertThat(ledger.droppedCount()).isZero();
        assertThat(ledger.reports().deadLetters(new ReportPeriod(EPOCH, FAR_FUTURE)))
                .isEqualTo(new DeadLetterRow(1, 0, Money.ofUsd("0.0123")));
        assertThat(ledger.reports().deadLetters(new ReportPeriod(T0.plusSeconds(1), FAR_FUTURE))).isEqualTo(DeadLetterRow.NONE);
    }

    @Test
    void aRefusedCapturedTextBecomesADeadLetterWithoutHoldingBackTheEntries() throws SQLException {
        JdbcLedger ledger = open(FAST.withBatching(500, Duration.ofMillis(300)));
        refuseRowsOf("ledger_texts", "req-t");

        ledger.record(entry("req-t", 1));
        ledger.recordText(text("req-t", "four", T0));
        ledger.record(entry("req-u", 1));

        assertThat(ledger.count()).isEqualTo(2);
        assertThat(ledger.textCount()).isZero();
        assertThat(ledger.deadLetters(10)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DeadLetter.Kind.TEXT);
            assertThat(d.cost()).isEqualTo(Money.ZERO);
            assertThat(d.record()).isEqualTo(text("req-t", "four", T0));
        });
        assertThat(ledger.deadLetterTexts()).isEqualTo(1);
        assertThat(ledger.deadLetterEntries()).isZero();
    }

    @Test
    void aDeadLetterTheDatabaseAlsoRefusesIsAppendedToAFileInTheSpoolDirectory() throws Exception {
        Path spool = scratch.resolve("spool");
        JdbcLedger ledger = openSpooled(spool, FAST.withBatching(500, Duration.ofMillis(300)));
        refuseRowsOf("ledger_attempts", "req-poison");
        refuseRowsOf("ledger_dead_letters", "req-poison");

        ledger.record(entry("req-1", 1));
        ledger.record(costing("req-poison", 1, Money.ofUsd("0.0123")));
        ledger.record(entry("req-2", 1));

        assertThat(ledger.count()).isEqualTo(2);
        assertThat(ledger.deadLetters(10)).isEmpty();
        List<String> lines = Files.readAllLines(spool.resolve("dead-letters.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.getFirst());
        assertThat(line.path("kind").asText()).isEqualTo("entry");
        assertThat(line.path("entry").path("request_id").asText()).isEqualTo("req-poison");
        assertThat(line.path("entry").path("cost_picousd").asLong()).isEqualTo(12_300_000_000L);
        assertThat(line.path("error").asText()).contains("refuse");
        assertThat(line.path("refused_at").asText()).isNotBlank();
        assertThat(ledger.deadLetterEntries()).isEqualTo(1);
        assertThat(ledger.deadLetterCost()).isEqualTo(Money.ofUsd("0.0123"));
        assertThat(ledger.droppedCount()).isZero();
    }

    @Test
    void aSpoolLeftByAnEarlierRunDrainsPastARefusedEntryWhenTheLedgerOpens() throws Exception {
        JdbcLedger.open(url(), connecting(FAST)).close(); // migrated, so the database can be told what to refuse
        refuseRowsOf("ledger_attempts", "req-poison");
        Path spool = scratch.resolve("leftover");
        Files.createDirectories(spool);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            lines.write(EntryJson.encode(entry("req-" + i, 1)));
        }
        lines.write(EntryJson.encode(entry("req-poison", 1)));
        for (int i = 10; i < 20; i++) {
            lines.write(EntryJson.encode(entry("req-" + i, 1)));
        }
        Files.write(spool.resolve("segment-0000000000000001.jsonl"), lines.toByteArray());

        JdbcLedger ledger = openSpooled(spool, FAST);

        assertThat(ledger.spooledBytes()).isZero(); // drained while opening, before anything new
        assertThat(ledger.count()).isEqualTo(20);
        assertThat(ledger.deadLetters(10)).extracting(DeadLetter::requestId).containsExactly("req-poison");
        assertThat(ledger.droppedCount()).isZero();
    }

    @Test
    void nulAndUnpairedSurrogatesInEveryTextColumnAreStoredAsReplacementCharacters() {
        JdbcLedger ledger = open(FAST);
        String bad = "a\u0000b\uD800c";
        String clean = "a\uFFFDb\uFFFDc";
        LedgerEntry e = new LedgerEntry("req-" + bad, 1, "r" + bad, "m" + bad, "p" + bad, entry("x", 1).usage(),
                new Money(5), 1, null, AttemptStatus.ERROR, "k" + bad, 500, false, "u" + bad, "t" + bad, "tier" + bad,
                "s" + bad, "d" + bad, T0);
        ledger.record(e);
        ledger.recordText(new CapturedText("req-" + bad, "r" + bad, "m" + bad, "prompt " + bad, "answer " + bad,
                "f" + bad, T0));

        assertThat(ledger.findByRequest("req-" + clean)).singleElement().isEqualTo(new LedgerEntry("req-" + clean, 1,
                "r" + clean, "m" + clean, "p" + clean, e.usage(), new Money(5), 1, null, AttemptStatus.ERROR, "k" + clean,
                500, false, "u" + clean, "t" + clean, "tier" + clean, "s" + clean, "d" + clean, Dialect.toMillis(T0)));
        // CapturedText itself removes NUL from the prompt and answer; the ledger replaces what is left.
        assertThat(ledger.findText("req-" + clean)).contains(new CapturedText("req-" + clean, "r" + clean, "m" + clean,
                "prompt ab\uFFFDc", "answer ab\uFFFDc", "f" + clean, Dialect.toMillis(T0)));
        assertThat(ledger.droppedCount()).isZero();
        assertThat(ledger.deadLetterEntries() + ledger.deadLetterTexts()).isZero();
    }

    @Test
    void overlongValuesAreCutToABoundWithAHashSoTheRollUpsNeverOverflowAndStayDistinct() {
        JdbcLedger ledger = open(FAST);
        String longA = randomBase64(8_000, 1);
        String longB = longA.substring(0, 7_999) + (longA.charAt(7_999) == 'x' ? 'y' : 'x');
        ledger.record(withTexts(entry("req-a", 1), longA, longA, longA, longA, longA, longA, longA, longA, longA));
        ledger.record(forUser(entry("req-b", 1), longB));
        ledger.record(entry("req-after", 1));

        LedgerEntry a = ledger.findByRequest("req-a").getFirst();
        LedgerEntry b = ledger.findByRequest("req-b").getFirst();
        assertThat(utf8Bytes(a.user())).isLessThanOrEqualTo(Storable.USER_BYTES);
        for (String key : List.of(a.route(), a.model(), a.provider(), a.errorKind(), a.task(), a.tier(), a.step())) {
            assertThat(utf8Bytes(key)).isLessThanOrEqualTo(Storable.KEY_BYTES);
            assertThat(longA).startsWith(key.substring(0, 100));
        }
        assertThat(a.user()).isNotEqualTo(b.user()).startsWith(longA.substring(0, 400));
        assertThat(b.user()).startsWith(longA.substring(0, 400));
        assertThat(ledger.findByRequest("req-after")).hasSize(1);
        assertThat(ledger.reports().users(new ReportPeriod(EPOCH, FAR_FUTURE))).extracting(UserUsage::user)
                .containsExactlyInAnyOrder(a.user(), b.user(), null);
        assertThat(ledger.droppedCount()).isZero();
        assertThat(ledger.deadLetterEntries()).isZero();
    }

    static void awaitFailedWrites(JdbcLedger ledger, long atLeast) throws InterruptedException {
        Eventually.await(() -> ledger.failedWriteCount() >= atLeast, "writer saw the outage in time");
    }
}
