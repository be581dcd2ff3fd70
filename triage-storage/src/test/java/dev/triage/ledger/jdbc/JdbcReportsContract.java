package dev.triage.ledger.jdbc;

import java.util.Collections;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.feedback.Feedback;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.report.ArmUsage;
import dev.triage.report.FeedbackRow;
import dev.triage.report.KeyUsage;
import dev.triage.report.RequestCursor;
import dev.triage.report.RequestPage;
import dev.triage.report.RequestQuery;
import dev.triage.report.RequestSummary;
import dev.triage.ledger.CapturedText;
import dev.triage.report.LatencyRow;
import dev.triage.report.LatencyRow.Axis;
import dev.triage.report.LatencyRow.Measure;
import dev.triage.report.ReportPeriod;
import dev.triage.report.UsageRow;
import dev.triage.report.UserUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The report queries on a hand-built ledger of five requests over three UTC days, with every figure
 * worked out by hand. Subclasses supply a fresh database.
 */
abstract class JdbcReportsContract {

    static final LocalDate D1 = LocalDate.parse("2026-03-09");
    static final LocalDate D2 = D1.plusDays(1);
    static final LocalDate D3 = D1.plusDays(2);
    static final ReportPeriod WHOLE_DAYS = new ReportPeriod(ReportPeriod.startOf(D1), ReportPeriod.startOf(D3.plusDays(1)));
    static final LedgerOptions FAST = LedgerOptions.defaults().withBatching(500, Duration.ofMillis(10));

    private JdbcLedger ledger;

    abstract String url();

    abstract LedgerOptions connecting(LedgerOptions options);

    /** A plain connection to the same database, for migrating it by hand. */
    abstract DataSource dataSource();

    abstract Dialect dialect();

    JdbcLedger open() {
        ledger = JdbcLedger.open(url(), connecting(FAST));
        return ledger;
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
        }
    }

    static Instant at(LocalDate day, String time) {
        return Instant.parse(day + "T" + time + "Z");
    }

    static LedgerEntry attempt(String request, int n, String route, String model, String task, String tier, String user,
                               String step, AttemptStatus status, String usd, Usage usage, Instant time) {
        return new LedgerEntry(request, n, route, model, "p", usage, Money.ofUsd(usd), 10, null, status,
                status == AttemptStatus.ERROR ? "SERVER_ERROR" : null, status == AttemptStatus.ERROR ? 503 : 200, false,
                user, task, tier, step, null, time);
    }

    static Usage tokens(long in, long out) {
        return new Usage(in, out, 0, 0, 0, false);
    }

    /** The entry with what provider prompt caching saved on it. */
    static LedgerEntry saving(LedgerEntry e, String usd) {
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), e.cost(),
                Money.ofUsd(usd), e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(),
                e.task(), e.tier(), e.step(), e.decision(), e.time(), e.apiKey());
    }

    /**
     * req-a: flash answers, a judge rejects it, big answers (the answer moves to big). req-b: flash fails,
     * then answers (a fallback). req-c: a tiered request late on D2. req-d: a concrete model, failed then
     * cancelled (estimated usage) on D3. req-e: flash answers just before midnight, big fails just after:
     * no answer. Prompt caching: big's answer to req-a read 400 tokens from a cache (saved $0.0036), req-c wrote
     * 500 (a negative saving, -$0.000375), and req-e's flash attempt read 300 (saved $0.00027).
     */
    static List<LedgerEntry> handBuilt() {
        return List.of(
                attempt("req-a", 1, "cascade", "flash", "classification", null, "alice", "stage 1/2", AttemptStatus.OK, "0.001", tokens(1000, 100), at(D1, "10:00:00")),
                attempt("req-a", 2, "cascade", "flash", "classification", null, "alice", "judge", AttemptStatus.OK, "0.0005", tokens(500, 10), at(D1, "10:00:01")),
                saving(attempt("req-a", 3, "cascade", "big", "classification", null, "alice", "stage 2/2", AttemptStatus.OK, "0.05", new Usage(1000, 200, 400, 0, 0, false), at(D1, "10:00:02")), "0.0036"),
                attempt("req-b", 1, "cascade", "flash", "classification", null, "bob", "stage 1/2", AttemptStatus.ERROR, "0", Usage.ZERO, at(D1, "11:00:00")),
                attempt("req-b", 2, "cascade", "flash", "classification", null, "bob", "stage 1/2", AttemptStatus.OK, "0.002", tokens(1200, 300), at(D1, "11:00:01")),
                saving(attempt("req-c", 1, "tiered", "big", "reasoning", "high", "alice", null, AttemptStatus.OK, "0.1", new Usage(2000, 1000, 0, 500, 0, false), at(D2, "23:30:00")), "-0.000375"),
                attempt("req-d", 1, "gpt-4.1", "gpt-4.1", null, null, null, null, AttemptStatus.ERROR, "0", Usage.ZERO, at(D3, "00:10:00")),
                attempt("req-d", 2, "gpt-4.1", "gpt-4.1", null, null, null, null, AttemptStatus.CANCELLED, "0.003", new Usage(100, 50, 0, 0, 0, true), at(D3, "00:10:05")),
                saving(attempt("req-e", 1, "cascade", "flash", "classification", null, "bob", "stage 1/2", AttemptStatus.OK, "0.001", new Usage(900, 90, 300, 0, 0, false), at(D1, "23:59:59")), "0.00027"),
                attempt("req-e", 2, "cascade", "big", "classification", null, "bob", "stage 2/2", AttemptStatus.ERROR, "0", Usage.ZERO, at(D2, "00:00:30")));
    }

    static UsageRow row(LocalDate day, String route, String model, String task, String tier, long attempts, long requests,
                        long errors, long cancelled, long estimated, String usd, Usage tokens, long answers, long recovered,
                        Usage answerTokens) {
        return row(day, route, model, task, tier, attempts, requests, errors, cancelled, estimated, usd, "0", tokens, answers,
                recovered, answerTokens);
    }

    static UsageRow row(LocalDate day, String route, String model, String task, String tier, long attempts, long requests,
                        long errors, long cancelled, long estimated, String usd, String savedUsd, Usage tokens, long answers,
                        long recovered, Usage answerTokens) {
        return new UsageRow(day, route, model, task, tier, attempts, requests, errors, cancelled, estimated,
                Money.ofUsd(usd), Money.ofUsd(savedUsd), tokens, answers, recovered, answerTokens);
    }

    static final List<UsageRow> EXPECTED = List.of(
            row(D1, "cascade", "flash", "classification", null, 5, 3, 1, 0, 0, "0.0045", "0.00027", new Usage(3600, 500, 300, 0, 0, false),
                    1, 1, tokens(1200, 300)),
            row(D1, "cascade", "big", "classification", null, 1, 0, 0, 0, 0, "0.05", "0.0036", new Usage(1000, 200, 400, 0, 0, false), 1, 0,
                    new Usage(1000, 200, 400, 0, 0, false)),
            row(D2, "cascade", "big", "classification", null, 1, 0, 1, 0, 0, "0", Usage.ZERO, 0, 0, Usage.ZERO),
            row(D2, "tiered", "big", "reasoning", "high", 1, 1, 0, 0, 0, "0.1", "-0.000375", new Usage(2000, 1000, 0, 500, 0, false), 1, 0,
                    new Usage(2000, 1000, 0, 500, 0, false)),
            row(D3, "gpt-4.1", "gpt-4.1", null, null, 2, 1, 1, 1, 1, "0.003", tokens(100, 50), 0, 0, Usage.ZERO));

    void recordAll(JdbcLedger l, List<LedgerEntry> entries) {
        entries.forEach(l::record);
        l.flush();
    }

    @Test
    void wholeDaysAreReadFromTheDailySumsWithAnswersFallbacksAndTokensExact() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());

        assertThat(l.reports().usage(WHOLE_DAYS)).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void partialDaysAtThePeriodsEndsAreSummedFromTheAttemptsWithTheSameDefinitions() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());

        // Starts at req-a's judge call (leaving out attempt 1) and ends at req-d's cancelled attempt (left out).
        ReportPeriod p = new ReportPeriod(at(D1, "10:00:01"), at(D3, "00:10:05"));

        assertThat(l.reports().usage(p)).containsExactlyInAnyOrder(
                row(D1, "cascade", "flash", "classification", null, 4, 2, 1, 0, 0, "0.0035", "0.00027", new Usage(2600, 400, 300, 0, 0, false),
                        1, 1, tokens(1200, 300)),
                EXPECTED.get(1), EXPECTED.get(2), EXPECTED.get(3),
                row(D3, "gpt-4.1", "gpt-4.1", null, null, 1, 1, 1, 0, 0, "0", Usage.ZERO, 0, 0, Usage.ZERO));
    }

    @Test
    void theDailySumsEqualTheAttemptsSummedDayByDay() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());

        // A period from 1 ms after midnight to 1 ms after the next midnight has no whole day: all of it is read raw.
        List<UsageRow> raw = new ArrayList<>();
        for (LocalDate d = D1; !d.isAfter(D3); d = d.plusDays(1)) {
            raw.addAll(l.reports().usage(new ReportPeriod(ReportPeriod.startOf(d).plusMillis(1), ReportPeriod.startOf(d.plusDays(1)).plusMillis(1))));
        }
        assertThat(raw).containsExactlyInAnyOrderElementsOf(l.reports().usage(WHOLE_DAYS));
    }

    @Test
    void aReplayedAttemptIsNotSummedTwice() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());
        recordAll(l, handBuilt());

        assertThat(l.count()).isEqualTo(10);
        assertThat(l.reports().usage(WHOLE_DAYS)).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void attemptsArrivingOutOfOrderStillLeaveOneAnswerPerRequest() {
        JdbcLedger l = open();
        List<LedgerEntry> reversed = new ArrayList<>(handBuilt());
        Collections.reverse(reversed);
        // One at a time, so each later attempt is already stored when an earlier one arrives.
        for (LedgerEntry e : reversed) {
            recordAll(l, List.of(e));
        }

        List<UsageRow> rows = l.reports().usage(WHOLE_DAYS);
        assertThat(rows.stream().mapToLong(UsageRow::answers).sum()).isEqualTo(3);
        assertThat(rows).filteredOn(r -> r.model().equals("big") && r.day().equals(D1)).singleElement()
                .extracting(UsageRow::answers).isEqualTo(1L);
    }

    @Test
    void usersAreSummedAcrossDaysWithoutAUserAsNull() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());

        assertThat(l.reports().users(WHOLE_DAYS)).containsExactlyInAnyOrder(
                new UserUsage("alice", 4, 2, Money.ofUsd("0.1515")),
                new UserUsage("bob", 4, 2, Money.ofUsd("0.003")),
                new UserUsage(null, 2, 1, Money.ofUsd("0.003")));
        assertThat(l.reports().users(new ReportPeriod(at(D1, "10:00:01"), at(D2, "12:00:00")))).containsExactlyInAnyOrder(
                new UserUsage("alice", 2, 0, Money.ofUsd("0.0505")),
                new UserUsage("bob", 4, 2, Money.ofUsd("0.003")));
    }

    /** The hand-built ledger with req-a and req-e made with virtual key "ops", req-c with "research", the rest with none. */
    static List<LedgerEntry> withKeys() {
        return handBuilt().stream().map(e -> switch (e.requestId()) {
            case "req-a", "req-e" -> keyed(e, "ops");
            case "req-c" -> keyed(e, "research");
            default -> e;
        }).toList();
    }

    static LedgerEntry keyed(LedgerEntry e, String key) {
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), e.cost(),
                e.cacheSaving(), e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(),
                e.task(), e.tier(), e.step(), e.decision(), e.time(), key);
    }

    @Test
    void keysAreSummedFromTheDailySumsAndTheAttemptsAlike() {
        JdbcLedger l = open();
        recordAll(l, withKeys());

        assertThat(l.reports().keys(WHOLE_DAYS)).containsExactlyInAnyOrder(
                new KeyUsage("ops", 5, 2, 3400, 400, Money.ofUsd("0.0525")),
                new KeyUsage("research", 1, 1, 2000, 1000, Money.ofUsd("0.1")),
                new KeyUsage(null, 4, 2, 1300, 350, Money.ofUsd("0.005")));
        // From 10:00:01 on D1 to noon on D2: D1 and D2 are partial, read from the attempts.
        assertThat(l.reports().keys(new ReportPeriod(at(D1, "10:00:01"), at(D2, "12:00:00")))).containsExactlyInAnyOrder(
                new KeyUsage("ops", 4, 1, 2400, 300, Money.ofUsd("0.0515")),
                new KeyUsage(null, 2, 1, 1200, 300, Money.ofUsd("0.002")));
        // Filtered: only the named keys, through the rollup and the attempts alike.
        assertThat(l.reports().forKeys(java.util.Set.of("research")).keys(WHOLE_DAYS))
                .containsExactly(new KeyUsage("research", 1, 1, 2000, 1000, Money.ofUsd("0.1")));
    }

    @Test
    void aReportForKeysSeesOnlyTheirRequests() {
        JdbcLedger l = open();
        recordAll(l, withKeys());
        Instant now = at(D3, "12:00:00");
        l.reports().record(new Feedback("req-a", new BigDecimal("0.9"), null, now));
        l.reports().record(new Feedback("req-b", new BigDecimal("0.1"), null, now));
        l.reports().record(new Feedback("req-c", new BigDecimal("0.5"), null, now));

        var ops = l.reports().forKeys(java.util.Set.of("ops"));
        assertThat(ops.usage(WHOLE_DAYS)).containsExactlyInAnyOrder(
                row(D1, "cascade", "flash", "classification", null, 3, 2, 0, 0, 0, "0.0025", "0.00027", new Usage(2400, 200, 300, 0, 0, false),
                        0, 0, Usage.ZERO),
                EXPECTED.get(1), EXPECTED.get(2));
        assertThat(ops.users(WHOLE_DAYS)).containsExactlyInAnyOrder(
                new UserUsage("alice", 3, 1, Money.ofUsd("0.0515")),
                new UserUsage("bob", 2, 1, Money.ofUsd("0.001")));
        assertThat(ops.feedback(WHOLE_DAYS)).containsExactly(new FeedbackRow(D1, "cascade", "big", "classification", 1, 900_000));
        assertThat(ops.firstActivity(WHOLE_DAYS)).contains(at(D1, "10:00:00"));
        assertThat(l.reports().forKeys(java.util.Set.of("research", "ops")).usage(WHOLE_DAYS)).hasSize(4);
        assertThat(l.reports().forKeys(java.util.Set.of()).usage(WHOLE_DAYS)).isEmpty();
        assertThat(l.reports().forKeys(java.util.Set.of("nobody")).keys(WHOLE_DAYS)).isEmpty();
    }

    /** An attempt that took {@code latency} ms (and {@code ttft} ms to its first token when streamed), with a key. */
    static LedgerEntry timed(String request, int n, String route, String model, AttemptStatus status, long latency, Long ttft,
                             String key, Instant time) {
        return new LedgerEntry(request, n, route, model, "p", tokens(10, 10), Money.ofUsd("0.001"), Money.ZERO, latency, ttft,
                status, status == AttemptStatus.ERROR ? "SERVER_ERROR" : null, 200, ttft != null, null, null, null, null, null,
                time, key);
    }

    @Test
    void latencyHistogramsCountSuccessfulAttemptsPerNameAndMillisecond() throws Exception {
        JdbcLedger l = open();
        recordAll(l, List.of(
                timed("lat-1", 1, "cascade", "flash", AttemptStatus.OK, 200, 80L, "ops", at(D1, "09:00:00")),
                timed("lat-2", 1, "cascade", "flash", AttemptStatus.OK, 200, 90L, "ops", at(D1, "09:01:00")),
                timed("lat-3", 1, "cascade", "flash", AttemptStatus.ERROR, 5, null, "ops", at(D1, "09:02:00")),
                timed("lat-3", 2, "cascade", "big", AttemptStatus.OK, 1500, null, "ops", at(D1, "09:02:01")),
                timed("lat-4", 1, "tiered", "big", AttemptStatus.OK, 1500, 300L, null, at(D2, "23:59:59")),
                timed("lat-5", 1, "tiered", "big", AttemptStatus.CANCELLED, 9000, 100L, null, at(D3, "00:00:01")),
                timed("lat-6", 1, "tiered", "flash", AttemptStatus.OK, 700, null, null, at(D3, "10:00:00"))));

        // a stride larger than every row id reads nothing; every test ledger starts its ids at 1
        assertThat(l.reports().latencies(WHOLE_DAYS, 1_000)).isEmpty();
        assertThat(l.reports().latencies(WHOLE_DAYS, 2).stream().filter(r -> r.axis() == Axis.DAY).mapToLong(LatencyRow::count).sum())
                .isBetween(1L, 4L);
        assertThat(l.reports().latencies(WHOLE_DAYS, 1)).containsExactlyInAnyOrder(
                new LatencyRow(Axis.MODEL, Measure.LATENCY, "flash", 200, 2),
                new LatencyRow(Axis.MODEL, Measure.LATENCY, "flash", 700, 1),
                new LatencyRow(Axis.MODEL, Measure.LATENCY, "big", 1500, 2),
                new LatencyRow(Axis.ROUTE, Measure.LATENCY, "cascade", 200, 2),
                new LatencyRow(Axis.ROUTE, Measure.LATENCY, "cascade", 1500, 1),
                new LatencyRow(Axis.ROUTE, Measure.LATENCY, "tiered", 1500, 1),
                new LatencyRow(Axis.ROUTE, Measure.LATENCY, "tiered", 700, 1),
                new LatencyRow(Axis.DAY, Measure.LATENCY, D1.toString(), 200, 2),
                new LatencyRow(Axis.DAY, Measure.LATENCY, D1.toString(), 1500, 1),
                new LatencyRow(Axis.DAY, Measure.LATENCY, D2.toString(), 1500, 1),
                new LatencyRow(Axis.DAY, Measure.LATENCY, D3.toString(), 700, 1),
                new LatencyRow(Axis.MODEL, Measure.TTFT, "flash", 80, 1),
                new LatencyRow(Axis.MODEL, Measure.TTFT, "flash", 90, 1),
                new LatencyRow(Axis.MODEL, Measure.TTFT, "big", 300, 1),
                new LatencyRow(Axis.ROUTE, Measure.TTFT, "cascade", 80, 1),
                new LatencyRow(Axis.ROUTE, Measure.TTFT, "cascade", 90, 1),
                new LatencyRow(Axis.ROUTE, Measure.TTFT, "tiered", 300, 1));
        // a period cut inside a day, and one key's attempts only
        assertThat(l.reports().latencies(new ReportPeriod(at(D2, "12:00:00"), at(D3, "12:00:00")), 1))
                .filteredOn(r -> r.axis() == Axis.DAY)
                .containsExactlyInAnyOrder(new LatencyRow(Axis.DAY, Measure.LATENCY, D2.toString(), 1500, 1),
                        new LatencyRow(Axis.DAY, Measure.LATENCY, D3.toString(), 700, 1));
        assertThat(l.reports().forKeys(java.util.Set.of("ops")).latencies(WHOLE_DAYS, 1))
                .filteredOn(r -> r.axis() == Axis.ROUTE && r.measure() == Measure.LATENCY)
                .containsExactlyInAnyOrder(new LatencyRow(Axis.ROUTE, Measure.LATENCY, "cascade", 200, 2),
                        new LatencyRow(Axis.ROUTE, Measure.LATENCY, "cascade", 1500, 1));
        assertThat(l.reports().forKeys(java.util.Set.of()).latencies(WHOLE_DAYS, 1)).isEmpty();
    }

    /** The report's percentiles over many attempts equal the database's own nearest-rank percentile where it has one. */
    @Test
    void percentilesFromTheHistogramsEqualTheDatabasesOwn() throws Exception {
        JdbcLedger l = open();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String model = i % 3 == 0 ? "big" : "flash";
            long latency = model.equals("big") ? 800 + random.nextInt(4_000) : 50 + random.nextInt(random.nextInt(10) == 0 ? 6_000 : 600);
            entries.add(timed("p-" + i, 1, "cascade", model, random.nextInt(20) == 0 ? AttemptStatus.ERROR : AttemptStatus.OK,
                    latency, random.nextBoolean() ? (long) random.nextInt((int) latency) : null, null,
                    at(D1, "00:00:00").plusSeconds(i * 30L)));
        }
        recordAll(l, entries);
        java.util.Map<String, long[]> expected = new java.util.TreeMap<>();
        for (String model : List.of("big", "flash")) {
            List<Long> ok = entries.stream().filter(e -> e.model().equals(model) && e.status() == AttemptStatus.OK)
                    .map(LedgerEntry::latencyMs).sorted().toList();
            expected.put(model, new long[] {ok.get((int) Math.ceil(ok.size() * 0.50) - 1), ok.get((int) Math.ceil(ok.size() * 0.95) - 1)});
        }
        java.util.Map<String, long[]> fromHistograms = new java.util.TreeMap<>();
        for (String model : expected.keySet()) {
            List<LatencyRow> bars = l.reports().latencies(WHOLE_DAYS, 1).stream()
                    .filter(r -> r.axis() == Axis.MODEL && r.measure() == Measure.LATENCY && r.name().equals(model)).toList();
            fromHistograms.put(model, new long[] {nearestRank(bars, 50), nearestRank(bars, 95)});
        }
        assertThat(fromHistograms).usingRecursiveComparison().isEqualTo(expected);
        if (dialect() == Dialect.POSTGRESQL) {
            try (var c = dataSource().getConnection(); var s = c.createStatement(); var r = s.executeQuery(
                    "SELECT model, percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms), percentile_disc(0.95) WITHIN GROUP "
                            + "(ORDER BY latency_ms) FROM ledger_attempts WHERE status = 'OK' GROUP BY model")) {
                java.util.Map<String, long[]> database = new java.util.TreeMap<>();
                while (r.next()) {
                    database.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
                }
                assertThat(database).usingRecursiveComparison().isEqualTo(expected);
            }
        }
    }

    /** The nearest-rank percentile of histogram bars, computed here independently of the engine. */
    private static long nearestRank(List<LatencyRow> bars, int pct) {
        List<LatencyRow> sorted = bars.stream().sorted(java.util.Comparator.comparingLong(LatencyRow::ms)).toList();
        long total = sorted.stream().mapToLong(LatencyRow::count).sum();
        long rank = (total * pct + 99) / 100, seen = 0;
        for (LatencyRow b : sorted) {
            seen += b.count();
            if (seen >= rank) {
                return b.ms();
            }
        }
        throw new AssertionError("no bars");
    }

    @Test
    void feedbackCarriesTheRequestsRouteTaskAndAnsweringModel() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());
        Instant now = at(D3, "12:00:00");

        assertThat(l.reports().record(new Feedback("req-a", new BigDecimal("0.9"), "good", now))).isTrue();
        assertThat(l.reports().record(new Feedback("req-a", new BigDecimal("0.7"), null, now))).isTrue();
        assertThat(l.reports().record(new Feedback("req-e", new BigDecimal("0.2"), null, now))).isTrue();
        assertThat(l.reports().record(new Feedback("req-c", new BigDecimal("0.1234567"), null, now))).isTrue();
        assertThat(l.reports().record(new Feedback("req-unknown", BigDecimal.ONE, null, now))).isFalse();

        assertThat(l.reports().feedback(WHOLE_DAYS)).containsExactlyInAnyOrder(
                new FeedbackRow(D1, "cascade", "big", "classification", 2, 1_600_000),
                new FeedbackRow(D1, "cascade", null, "classification", 1, 200_000),
                new FeedbackRow(D2, "tiered", "big", "reasoning", 1, 123_457));
        // Feedback belongs to the time of the request it rates, not of its arrival.
        assertThat(l.reports().feedback(new ReportPeriod(ReportPeriod.startOf(D2), ReportPeriod.startOf(D3))))
                .containsExactly(new FeedbackRow(D2, "tiered", "big", "reasoning", 1, 123_457));
    }

    /** The entry in a shared-context arm (and, when given, made with a virtual key). */
    static LedgerEntry inArm(LedgerEntry e, String arm, String key) {
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), e.cost(),
                e.cacheSaving(), e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(),
                e.task(), e.tier(), e.step(), e.decision(), e.time(), key, arm);
    }

    /**
     * Three requests on an "agent" route that shares context, on D2: req-x1 (compact, key ops) first calls the
     * summarizer (step context, mini, $0.0002) then big answers ($0.01); req-x2 (compact) is answered by big
     * ($0.02) with no summary needed; req-y1 (full) fails once, then big answers ($0.03).
     */
    static List<LedgerEntry> experiment() {
        return List.of(
                inArm(attempt("req-x1", 1, "agent", "mini", null, null, "carol", "context", AttemptStatus.OK, "0.0002", tokens(3000, 300), at(D2, "09:00:00")), "compact", "ops"),
                inArm(attempt("req-x1", 2, "agent", "big", null, null, "carol", null, AttemptStatus.OK, "0.01", tokens(1000, 100), at(D2, "09:00:02")), "compact", "ops"),
                inArm(attempt("req-x2", 1, "agent", "big", null, null, "dan", null, AttemptStatus.OK, "0.02", tokens(2000, 200), at(D2, "10:00:00")), "compact", null),
                inArm(attempt("req-y1", 1, "agent", "big", null, null, "erin", null, AttemptStatus.ERROR, "0", Usage.ZERO, at(D2, "11:00:00")), "full", null),
                inArm(attempt("req-y1", 2, "agent", "big", null, null, "erin", null, AttemptStatus.OK, "0.03", tokens(5000, 100), at(D2, "11:00:01")), "full", null));
    }

    @Test
    void contextArmsAreSummedFromTheirAttemptsWithSummarizerCallsAndTheirFeedback() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());
        assertThat(l.reports().contextArms(WHOLE_DAYS)).isEmpty();
        recordAll(l, experiment());
        Instant now = at(D3, "12:00:00");
        l.reports().record(new Feedback("req-x1", new BigDecimal("0.8"), null, now));
        l.reports().record(new Feedback("req-x2", new BigDecimal("0.6"), null, now));
        l.reports().record(new Feedback("req-y1", new BigDecimal("0.9"), null, now));
        l.reports().record(new Feedback("req-y1", new BigDecimal("0.7"), null, now));
        l.reports().record(new Feedback("req-a", new BigDecimal("0.5"), null, now)); // no arm

        // compact: 3 attempts, 2 requests, both answered, $0.0002 + $0.01 + $0.02 with the summarizer's tokens;
        // full: the failed attempt and the answer. Feedback by the rated request's arm.
        assertThat(l.reports().contextArms(WHOLE_DAYS)).containsExactly(
                new ArmUsage("compact", 3, 2, 2, Money.ofUsd("0.0302"), 6000, 600, 2, 1_400_000),
                new ArmUsage("full", 2, 1, 1, Money.ofUsd("0.03"), 5000, 100, 2, 1_600_000));
        // A period inside D2 is read from the same attempts: from req-x1's answer to just before req-y1's.
        assertThat(l.reports().contextArms(new ReportPeriod(at(D2, "09:00:01"), at(D2, "11:00:01")))).containsExactly(
                new ArmUsage("compact", 2, 1, 2, Money.ofUsd("0.03"), 3000, 300, 1, 600_000),
                new ArmUsage("full", 1, 1, 0, Money.ZERO, 0, 0, 2, 1_600_000));
        // A report for one key sees its requests' arms only.
        assertThat(l.reports().forKeys(java.util.Set.of("ops")).contextArms(WHOLE_DAYS)).containsExactly(
                new ArmUsage("compact", 2, 1, 1, Money.ofUsd("0.0102"), 4000, 400, 1, 800_000));
        assertThat(l.reports().forKeys(java.util.Set.of()).contextArms(WHOLE_DAYS)).isEmpty();
        // The arm reads back with every attempt; the other figures are unchanged by it.
        assertThat(l.findByRequest("req-x1")).extracting(LedgerEntry::contextArm).containsExactly("compact", "compact");
        assertThat(l.findByRequest("req-a")).extracting(LedgerEntry::contextArm).containsOnlyNulls();
    }

    @Test
    void firstActivityAndATiersSpendComeFromTheAttempts() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());

        assertThat(l.reports().firstActivity(WHOLE_DAYS)).contains(at(D1, "10:00:00"));
        assertThat(l.reports().firstActivity(new ReportPeriod(at(D3, "01:00:00"), at(D3, "02:00:00")))).isEmpty();
        assertThat(l.reports().spent("tiered", "high", new ReportPeriod(ReportPeriod.startOf(D2), ReportPeriod.startOf(D3))))
                .isEqualTo(Money.ofUsd("0.1"));
        assertThat(l.reports().spent("tiered", "low", WHOLE_DAYS)).isEqualTo(Money.ZERO);
    }

    /** Rows as a version-2 ledger wrote them: the columns it had, no later ones. */
    private void insertAsVersion2(List<LedgerEntry> entries) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource().getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                "INSERT INTO ledger_attempts (request_id, attempt, route, model, provider, input_tokens, output_tokens,"
                        + " cached_input_tokens, cache_write_tokens, reasoning_tokens, usage_estimated, cost_picousd, latency_ms,"
                        + " ttft_ms, status, error_kind, http_status, stream, user_id, task, tier, step, decision, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LedgerEntry e : entries) {
                int i = 0;
                s.setString(++i, e.requestId());
                s.setInt(++i, e.attempt());
                s.setString(++i, e.route());
                s.setString(++i, e.model());
                s.setString(++i, e.provider());
                s.setLong(++i, e.usage().inputTokens());
                s.setLong(++i, e.usage().outputTokens());
                s.setLong(++i, e.usage().cachedInputTokens());
                s.setLong(++i, e.usage().cacheWriteTokens());
                s.setLong(++i, e.usage().reasoningTokens());
                s.setBoolean(++i, e.usage().estimated());
                s.setLong(++i, e.cost().picos());
                s.setLong(++i, e.latencyMs());
                s.setObject(++i, e.ttftMs(), java.sql.Types.BIGINT);
                s.setString(++i, e.status().name());
                s.setString(++i, e.errorKind());
                s.setInt(++i, e.httpStatus());
                s.setBoolean(++i, e.stream());
                s.setString(++i, e.user());
                s.setString(++i, e.task());
                s.setString(++i, e.tier());
                s.setString(++i, e.step());
                s.setString(++i, e.decision());
                dialect().bindTime(s, ++i, e.time());
                s.executeUpdate();
            }
        }
    }

    @Test
    void upgradingALedgerFromVersion2SumsTheRowsAlreadyThere() throws Exception {
        Flyway.configure().dataSource(dataSource()).locations(dialect().migrations()).table("triage_schema_history")
                .target("2").load().migrate();
        insertAsVersion2(handBuilt());

        JdbcLedger l = open();

        assertThat(l.reports().usage(WHOLE_DAYS)).containsExactlyInAnyOrderElementsOf(withoutSavings(EXPECTED));
        assertThat(l.reports().users(WHOLE_DAYS)).hasSize(3);
    }

    /** The rows as a ledger from before V9 holds them: its attempts have no prompt-cache saving (0 after the upgrade). */
    static List<UsageRow> withoutSavings(List<UsageRow> rows) {
        return rows.stream().map(r -> new UsageRow(r.day(), r.route(), r.model(), r.task(), r.tier(), r.attempts(), r.requests(),
                r.errors(), r.cancelled(), r.estimated(), r.cost(), Money.ZERO, r.tokens(), r.answers(), r.recovered(),
                r.answerTokens())).toList();
    }

    @Test
    void theSavingIsSummedPerDayAndBothWaysOfReadingAgreeOnIt() {
        JdbcLedger l = open();
        recordAll(l, handBuilt());

        // Whole days from ledger_daily; the same days as partial periods from the attempts (see EXPECTED).
        assertThat(l.reports().usage(WHOLE_DAYS)).extracting(UsageRow::cacheSaving).containsExactlyInAnyOrder(
                Money.ofUsd("0.00027"), Money.ofUsd("0.0036"), Money.ZERO, Money.ofUsd("-0.000375"), Money.ZERO);
        List<UsageRow> raw = new ArrayList<>();
        for (LocalDate d = D1; !d.isAfter(D3); d = d.plusDays(1)) {
            raw.addAll(l.reports().usage(new ReportPeriod(ReportPeriod.startOf(d).plusMillis(1), ReportPeriod.startOf(d.plusDays(1)))));
            raw.addAll(l.reports().usage(new ReportPeriod(ReportPeriod.startOf(d), ReportPeriod.startOf(d).plusMillis(1))));
        }
        Money whole = l.reports().usage(WHOLE_DAYS).stream().map(UsageRow::cacheSaving).reduce(Money.ZERO, Money::plus);
        assertThat(raw.stream().map(UsageRow::cacheSaving).reduce(Money.ZERO, Money::plus)).isEqualTo(whole)
                .isEqualTo(Money.ofUsd("0.003495"));
        assertThat(l.findByRequest("req-c")).singleElement().extracting(LedgerEntry::cacheSaving).isEqualTo(Money.ofUsd("-0.000375"));
    }

    @Test
    void aDaysSavingSaturatesInsteadOfMakingTheDatabaseRefuseARow() {
        JdbcLedger l = open();
        List<LedgerEntry> extreme = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            LedgerEntry e = attempt("req-max", i, "cascade", "big", null, null, null, null, AttemptStatus.OK, "0", tokens(1, 1),
                    at(D1, "10:00:0" + i));
            extreme.add(new LedgerEntry(e.requestId(), i, e.route(), e.model(), e.provider(), e.usage(), e.cost(),
                    new Money(Long.MAX_VALUE), e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(),
                    e.user(), e.task(), e.tier(), e.step(), e.decision(), e.time(), null));
        }
        // One at a time, so the trigger adds to a stored sum (on PostgreSQL a statement sums its rows first).
        for (LedgerEntry e : extreme) {
            recordAll(l, List.of(e));
        }

        assertThat(l.count()).isEqualTo(3);
        assertThat(l.reports().usage(WHOLE_DAYS)).singleElement().extracting(UsageRow::cacheSaving)
                .isEqualTo(new Money(Long.MAX_VALUE));
    }

    @Test
    void upgradingALedgerFromVersion9KeepsItsRowsAndFeedbackReadableWithoutAnArm() throws Exception {
        Flyway.configure().dataSource(dataSource()).locations(dialect().migrations()).table("triage_schema_history")
                .target("9").load().migrate();
        insertAsVersion2(handBuilt());
        // Feedback as a version-9 gateway stored it (no context_arm column yet): req-a rated 0.9.
        try (java.sql.Connection c = dataSource().getConnection(); java.sql.PreparedStatement st = c.prepareStatement(
                "INSERT INTO ledger_feedback (request_id, score_micros, route, model, task, request_at, created_at) "
                        + "VALUES ('req-a', 900000, 'cascade', 'big', 'classification', ?, ?)")) {
            dialect().bindTime(st, 1, at(D1, "10:00:00"));
            dialect().bindTime(st, 2, at(D3, "12:00:00"));
            st.executeUpdate();
        }

        JdbcLedger l = open();

        // The old rows read back whole, with no arm, and report as before; no arm in the period yet.
        assertThat(l.findByRequest("req-a")).hasSize(3).extracting(LedgerEntry::contextArm).containsOnlyNulls();
        assertThat(l.reports().usage(WHOLE_DAYS)).containsExactlyInAnyOrderElementsOf(withoutSavings(EXPECTED));
        assertThat(l.reports().feedback(WHOLE_DAYS)).containsExactly(new FeedbackRow(D1, "cascade", "big", "classification", 1, 900_000));
        assertThat(l.reports().contextArms(WHOLE_DAYS)).isEmpty();
        // Attempts and feedback written after the upgrade carry their arm.
        recordAll(l, experiment());
        l.reports().record(new Feedback("req-y1", new BigDecimal("0.75"), null, at(D3, "12:00:00")));
        assertThat(l.reports().contextArms(WHOLE_DAYS)).containsExactly(
                new ArmUsage("compact", 3, 2, 2, Money.ofUsd("0.0302"), 6000, 600, 0, 0),
                new ArmUsage("full", 2, 1, 1, Money.ofUsd("0.03"), 5000, 100, 1, 750_000));
    }

    @Test
    void upgradingALedgerFromVersion8KeepsItsRowsReadableWithNoSavingAndSumsTheNewOnes() throws Exception {
        Flyway.configure().dataSource(dataSource()).locations(dialect().migrations()).table("triage_schema_history")
                .target("8").load().migrate();
        // Rows as a version-8 gateway wrote them (no cache_saving_picousd column yet): D1 and D2 of the hand-built ledger.
        List<LedgerEntry> old = handBuilt().stream().filter(e -> e.time().isBefore(ReportPeriod.startOf(D3))).toList();
        insertAsVersion2(old);

        JdbcLedger l = open();
        // After the upgrade: D3's rows, written with their savings by this version.
        recordAll(l, handBuilt().stream().filter(e -> !e.time().isBefore(ReportPeriod.startOf(D3)))
                .map(e -> saving(e, "0.0001")).toList());

        // The old rows read back whole, their saving 0; the daily sums of old and new days agree with the attempts.
        assertThat(l.findByRequest("req-a")).hasSize(3).allSatisfy(e -> assertThat(e.cacheSaving()).isEqualTo(Money.ZERO))
                .extracting(LedgerEntry::usage).contains(new Usage(1000, 200, 400, 0, 0, false));
        List<UsageRow> expected = new ArrayList<>(withoutSavings(EXPECTED.subList(0, 4)));
        expected.add(row(D3, "gpt-4.1", "gpt-4.1", null, null, 2, 1, 1, 1, 1, "0.003", "0.0002", tokens(100, 50), 0, 0, Usage.ZERO));
        assertThat(l.reports().usage(WHOLE_DAYS)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(l.reports().usage(new ReportPeriod(ReportPeriod.startOf(D3).plusMillis(1), ReportPeriod.startOf(D3.plusDays(1)))))
                .containsExactly(expected.get(4));
        assertThat(l.reports().usage(new ReportPeriod(ReportPeriod.startOf(D1).plusMillis(1), ReportPeriod.startOf(D2))))
                .containsExactlyInAnyOrderElementsOf(withoutSavings(EXPECTED.subList(0, 2)));
    }

    // ------------------------------------------------------------------ the request log (GET /api/requests)

    private static RequestQuery all(int limit, RequestCursor after) {
        return new RequestQuery(WHOLE_DAYS, null, null, null, null, after, limit, false);
    }

    private static List<String> ids(RequestPage page) {
        return page.requests().stream().map(RequestSummary::requestId).toList();
    }

    @Test
    void pagesGoNewestFirstAndEndWithoutANextPage() {
        JdbcLedger l = open();
        recordAll(l, withKeys());
        List<String> seen = new ArrayList<>();
        RequestPage page = l.requestLog().requests(all(2, null));
        assertThat(ids(page)).containsExactly("req-d", "req-c");
        seen.addAll(ids(page));
        page = l.requestLog().requests(all(2, RequestCursor.parse(page.next().token())));
        assertThat(ids(page)).containsExactly("req-e", "req-b");
        page = l.requestLog().requests(all(2, page.next()));
        assertThat(ids(page)).containsExactly("req-a");
        assertThat(page.next()).isNull();
        assertThat(ids(l.requestLog().requests(all(5, null)))).containsExactly("req-d", "req-c", "req-e", "req-b", "req-a");
        assertThat(l.requestLog().requests(all(5, null)).next()).isNull();
        assertThat(seen).doesNotContainAnyElementsOf(List.of("req-e", "req-b", "req-a"));
    }

    @Test
    void eachRequestIsSummedFromItsAttempts() {
        JdbcLedger l = open();
        recordAll(l, withKeys());
        List<RequestSummary> rows = l.requestLog().requests(all(10, null)).requests();
        // req-a: flash, a judge on flash, then big answers; three attempts of 10 ms from 10:00:00 to 10:00:02.010
        assertThat(rows.get(4)).isEqualTo(new RequestSummary(at(D1, "10:00:00"), "req-a", "ops", "cascade", "big",
                List.of("flash", "flash", "big"), 3, 2500, 310, Money.ofUsd("0.0515"), 2010, null, AttemptStatus.OK, "alice",
                "classification", null, null));
        // req-e: flash answered before midnight, big failed after it: the request's status is the failure
        assertThat(rows.get(2)).isEqualTo(new RequestSummary(at(D1, "23:59:59"), "req-e", "ops", "cascade", "big",
                List.of("flash", "big"), 2, 900, 90, Money.ofUsd("0.001"), 31_010, null, AttemptStatus.ERROR, "bob",
                "classification", null, null));
        assertThat(rows.get(0).status()).isEqualTo(AttemptStatus.CANCELLED);
        assertThat(rows.get(0).key()).isNull();
        assertThat(rows.get(1).key()).isEqualTo("research");
    }

    @Test
    void filtersByModelRouteKeyStatusAndPeriod() {
        JdbcLedger l = open();
        recordAll(l, withKeys());
        var log = l.requestLog();
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, "flash", null, null, null, null, 10, false))))
                .containsExactly("req-e", "req-b", "req-a");
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, null, "tiered", null, null, null, 10, false)))).containsExactly("req-c");
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, null, null, Set.of("ops"), null, null, 10, false)))).containsExactly("req-e", "req-a");
        // a team's keys: any of them
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, null, null, Set.of("ops", "research", "nobody"), null, null, 10, false))))
                .containsExactly("req-c", "req-e", "req-a");
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, null, null, null, AttemptStatus.ERROR, null, 10, false)))).containsExactly("req-e");
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, null, null, null, AttemptStatus.OK, null, 10, false))))
                .containsExactly("req-c", "req-b", "req-a");
        assertThat(ids(log.requests(new RequestQuery(WHOLE_DAYS, "flash", "cascade", Set.of("ops"), AttemptStatus.OK, null, 10, false))))
                .containsExactly("req-a");
        assertThat(ids(log.requests(new RequestQuery(new dev.triage.report.ReportPeriod(at(D2, "00:00:00"), at(D3, "23:00:00")),
                null, null, null, null, null, 10, false)))).containsExactly("req-d", "req-c");
        assertThat(log.requests(new RequestQuery(WHOLE_DAYS, "nobody", null, null, null, null, 10, false)).requests()).isEmpty();
    }

    @Test
    void promptTextIsReadOnlyWhenAskedAndLongTextIsCut() {
        JdbcLedger l = open();
        recordAll(l, withKeys());
        l.recordText(new CapturedText("req-b", "cascade", "flash", "Is this spam?", "x".repeat(3_000), "stop", at(D1, "11:00:02")));
        l.flush();
        RequestSummary plain = l.requestLog().requests(all(10, null)).requests().get(3);
        assertThat(plain.requestId()).isEqualTo("req-b");
        assertThat(plain.prompt()).isNull();
        assertThat(plain.answer()).isNull();
        List<RequestSummary> withText = l.requestLog().requests(new RequestQuery(WHOLE_DAYS, null, null, null, null, null, 10, true)).requests();
        assertThat(withText.get(3).prompt()).isEqualTo("Is this spam?");
        assertThat(withText.get(3).answer()).isEqualTo("x".repeat(2_000) + "…");
        assertThat(withText.get(4).prompt()).isNull();
    }
}
