package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.feedback.Feedback;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import dev.triage.report.ReportPeriod;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    /** A URL of a fresh, empty database for this test. */
    abstract String url();

    /** Options this database needs (credentials) on top of the given ones. */
    abstract LedgerOptions connecting(LedgerOptions options);

    /** Takes the database's write lock from another connection, as a stand-in for the database being down. */
    abstract WriteLock holdWriteLock() throws SQLException;

    interface WriteLock extends AutoCloseable {
        /** Rows in ledger_attempts as seen by the locking connection. */
        long storedRows() throws SQLException;

        /** Releases the lock. */
        @Override
        void close() throws SQLException;
    }

    JdbcLedger open(LedgerOptions options) {
        ledger = JdbcLedger.open(url(), connecting(options));
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
        }).toList();
    }

    @Test
    void everyFieldRoundTripsWithTimeAtMillisecondPrecision() {
        JdbcLedger ledger = open(FAST);
        LedgerEntry full = new LedgerEntry("req-full", 2, "smart", "claude-sonnet-4", "anthropic",
                new Usage(3_000_000_123L, 2_000_000_456L, 1_500_000_000L, 250_000_000L, 1_000_000_001L, true),
                new Money(9_007_199_254_740_993L), 4_321, 187L, AttemptStatus.ERROR, "RATE_LIMITED", 429, true,
                "user-42", "code", "premium", "stage 1/3", "cascade: gemini-2.0-flash (confidence 0.42 < 0.9) -> escalate", T0);
        LedgerEntry sparse = new LedgerEntry("req-full", 1, "smart", "gpt-4.1", "openai", Usage.ZERO, Money.ZERO,
                0, null, AttemptStatus.CANCELLED, null, 0, false, null, null, null, Instant.ofEpochMilli(1));

        ledger.record(full);
        ledger.record(sparse);

        assertThat(ledger.findByRequest("req-full")).containsExactly(sparse,
                new LedgerEntry("req-full", 2, "smart", "claude-sonnet-4", "anthropic",
                        new Usage(3_000_000_123L, 2_000_000_456L, 1_500_000_000L, 250_000_000L, 1_000_000_001L, true),
                        new Money(9_007_199_254_740_993L), 4_321, 187L, AttemptStatus.ERROR, "RATE_LIMITED", 429, true,
                        "user-42", "code", "premium", "stage 1/3", "cascade: gemini-2.0-flash (confidence 0.42 < 0.9) -> escalate",
                        Instant.parse("2026-03-14T09:26:53.589Z")));
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

    @Test
    void fullQueueDropsAndCountsEntriesAfterTheEnqueueTimeout() throws SQLException {
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

    static void awaitFailedWrites(JdbcLedger ledger, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ledger.failedWriteCount() < atLeast) {
            assertThat(System.nanoTime()).as("writer saw the outage in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
