package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.report.Report;
import dev.triage.report.KeySpend;
import dev.triage.report.ReportEngine;
import dev.triage.report.ReportPeriod;
import dev.triage.report.ReportSettings;
import dev.triage.report.TierSpend;
import dev.triage.testing.PostgresSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Times reports over a million generated ledger rows on SQLite and PostgreSQL. Not part of the normal
 * build (it takes minutes): run it with
 * {@code ./mvnw -o -pl triage-engine,triage-storage test -Dtest=ReportQueryBenchmark -Dtriage.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dtriage.bench.rows=N} for another size).
 */
@EnabledIfSystemProperty(named = "triage.bench", matches = "true")
class ReportQueryBenchmark {

    private static final int ROWS = Integer.getInteger("triage.bench.rows", 1_000_000);
    private static final Instant NOW = Instant.parse("2026-03-31T12:34:56Z");
    private static final String[] MODELS = {"gemini-2.0-flash", "gpt-4.1-mini", "claude-3.5-sonnet", "gpt-4.1",
            "claude-3.7-sonnet", "gpt-4.5", "gemini-2.5-pro", "deepseek-chat"};
    private static final String[] ROUTES = {"auto", "task", "tiered", "cascade"};
    private static final String[] TASKS = {"classification", "summarization", "code_generation", "reasoning",
            "fast_response", "chat", "extraction", "translation"};
    private static final String[] TIERS = {"high", "medium", "low"};

    @Test
    void sqlite() throws Exception {
        Path dir = Files.createTempDirectory("triage-bench");
        if (Boolean.getBoolean("triage.bench.keep")) {
            System.out.println("kept database " + dir);
        }
        Path file = dir.resolve("ledger.db");
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        ds.setJournalMode("WAL");
        run("SQLite", "sqlite:" + file, LedgerOptions.defaults(), ds, Dialect.SQLITE);
    }

    @Test
    void postgresql() throws Exception {
        PostgresSchema schema = PostgresSchema.create("bench");
        try {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(schema.url());
            ds.setUser(PostgresSchema.USER);
            ds.setReWriteBatchedInserts(true);
            run("PostgreSQL", schema.url(), LedgerOptions.defaults().withCredentials(PostgresSchema.USER, null), ds,
                    Dialect.POSTGRESQL);
        } finally {
            if (Boolean.getBoolean("triage.bench.keep")) {
                System.out.println("kept schema " + schema.name());
            } else {
                schema.close();
            }
        }
    }

    private void run(String name, String url, LedgerOptions options, DataSource ds, Dialect dialect) throws Exception {
        try (JdbcLedger ledger = JdbcLedger.open(url, options)) {
            long t0 = System.nanoTime();
            long feedbacks = generate(ds, dialect);
            long insertMs = (System.nanoTime() - t0) / 1_000_000;
            if (dialect == Dialect.POSTGRESQL) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
            }
            assertThat(ledger.count()).isEqualTo(ROWS);

            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            ReportEngine engine = new ReportEngine(ledger.reports(), PriceCatalog.builtIn(), Map.of(),
                    TierSpend.fromLedger(ledger.reports(), clock), KeySpend.NONE, clock, ReportSettings.defaults());
            ReportPeriod days30 = engine.defaultPeriod();
            ReportPeriod instant30d = new ReportPeriod(NOW.minus(Duration.ofDays(30)), NOW);
            ReportPeriod last24h = new ReportPeriod(NOW.minus(Duration.ofHours(24)), NOW);
            StringBuilder out = new StringBuilder("\n== ").append(name).append(": ").append(ROWS).append(" ledger rows, ")
                    .append(feedbacks).append(" feedbacks, inserted in ").append(insertMs).append(" ms ==\n");
            for (var p : List.of(Map.entry("last 30 UTC days (whole days: roll-ups only)", days30),
                    Map.entry("now-30d .. now (roll-ups + two partial days raw)", instant30d),
                    Map.entry("last 24 h (raw attempts)", last24h))) {
                Report r = engine.report(p.getValue()); // warm-up
                long[] ms = new long[5];
                for (int i = 0; i < ms.length; i++) {
                    long s = System.nanoTime();
                    r = engine.report(p.getValue());
                    ms[i] = (System.nanoTime() - s) / 1_000_000;
                }
                Arrays.sort(ms);
                out.append(String.format("%-50s min %4d ms, median %4d ms, max %4d ms  (requests %d, cost %s)%n",
                        p.getKey(), ms[0], ms[2], ms[4], r.totals().requests(), r.totals().cost()));
                assertThat(ms[2]).as("median report time for " + p.getKey()).isLessThan(1000);
            }
            System.out.println(out);
        }
    }

    /**
     * ROWS attempts over 30 days: 1 to 3 attempts per request, 8 models, 4 routes, 8 tasks, 1,000 users, latencies of
     * 0.1–10 s (a third streamed, with a time to first token); feedback on 5 % of requests.
     */
    private static long generate(DataSource ds, Dialect dialect) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        AttemptTable table = new AttemptTable(ds, dialect);
        List<LedgerEntry> batch = new ArrayList<>();
        List<Object[]> feedback = new ArrayList<>();
        long spanMs = Duration.ofDays(30).toMillis();
        long start = NOW.toEpochMilli() - spanMs;
        int written = 0, request = 0;
        while (written < ROWS) {
            String id = "req_" + request++;
            int attempts = Math.min(ROWS - written, random.nextInt(10) < 7 ? 1 : random.nextInt(10) < 7 ? 2 : 3);
            String route = ROUTES[random.nextInt(ROUTES.length)];
            String task = TASKS[random.nextInt(TASKS.length)];
            String tier = route.equals("tiered") ? TIERS[random.nextInt(TIERS.length)] : null;
            String user = "user-" + random.nextInt(1000);
            long t = start + random.nextLong(spanMs);
            String model = null;
            for (int a = 1; a <= attempts; a++) {
                model = MODELS[random.nextInt(MODELS.length)];
                boolean last = a == attempts;
                AttemptStatus status = last || random.nextBoolean() ? AttemptStatus.OK : AttemptStatus.ERROR;
                long in = 200 + random.nextInt(4000), out = status == AttemptStatus.OK ? 50 + random.nextInt(800) : 0;
                Money cost = status == AttemptStatus.OK ? new Money((in * 3 + out * 12) * 1_000_000L) : Money.ZERO;
                // latencies of 100 ms to 10 s, a third of the calls streamed: what the latency histograms group
                long latency = 100 + random.nextInt(status == AttemptStatus.OK ? 9_900 : 400);
                boolean stream = random.nextInt(3) == 0;
                batch.add(new LedgerEntry(id, a, route, model, "p", new Usage(in, out, 0, 0, 0, false), cost, latency,
                        stream ? (Long) (50L + random.nextInt(1_000)) : null,
                        status, null, 200, stream, user, task, tier, attempts > 1 ? "stage " + a + "/" + attempts : null,
                        null, Instant.ofEpochMilli(t + a * 500L)));
                written++;
            }
            if (random.nextInt(20) == 0) {
                feedback.add(new Object[] {id, random.nextInt(1_000_001), route, model, task, Instant.ofEpochMilli(t)});
            }
            if (batch.size() >= 5_000) {
                table.insert(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            table.insert(batch);
        }
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO ledger_feedback "
                + "(request_id, score_micros, route, model, task, request_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (Object[] f : feedback) {
                s.setString(1, (String) f[0]);
                s.setInt(2, (Integer) f[1]);
                s.setString(3, (String) f[2]);
                s.setString(4, (String) f[3]);
                s.setString(5, (String) f[4]);
                dialect.bindTime(s, 6, (Instant) f[5]);
                dialect.bindTime(s, 7, NOW);
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        }
        return feedback.size();
    }
}
