package dev.triage.ledger.jdbc;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.feedback.Feedback;
import dev.triage.feedback.FeedbackStore;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.provider.Secrets;
import dev.triage.report.ArmUsage;
import dev.triage.report.CacheUsage;
import dev.triage.report.DeadLetterRow;
import dev.triage.report.FeedbackRow;
import dev.triage.report.KeyUsage;
import dev.triage.report.LatencyRow;
import dev.triage.report.ReportPeriod;
import dev.triage.report.ReportSource;
import dev.triage.report.UsageRow;
import dev.triage.report.UserUsage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Reports and feedback on the ledger database.
 *
 * <p>Whole UTC days of a period are read from the daily sums ({@code ledger_daily},
 * {@code ledger_daily_users}) that a trigger keeps as attempts are written; the part of a period that
 * starts or ends inside a day is summed from the attempts themselves with the same definitions, so a
 * period given to the millisecond costs at most two days of attempt rows. Reads flush the ledger's
 * queue first, so what the gateway just did is in the report.
 */
public final class JdbcReports implements ReportSource, FeedbackStore {

    private static final String NOT_SCORER = "(%1$s.step IS NULL OR %1$s.step NOT IN ('judge', 'sample'))";
    /** Whether attempt {@code a} is its request's answer: its last attempt that is not a scorer's, and a success. */
    private static final String IS_ANSWER = "a.status = 'OK' AND " + NOT_SCORER.formatted("a") + " AND NOT EXISTS (SELECT 1 "
            + "FROM ledger_attempts b WHERE b.request_id = a.request_id AND b.attempt > a.attempt AND " + NOT_SCORER.formatted("b") + ")";
    private static final String ROLLUP_COLUMNS = "attempts, requests, errors, cancelled, estimated, cost_picousd, "
            + "cache_saving_picousd, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, answers, recovered, "
            + "answer_input_tokens, answer_output_tokens, answer_cached_input_tokens, answer_cache_write_tokens";

    private static final BigDecimal MIN_PICOS = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX_PICOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private final DataSource database;
    private final Dialect dialect;
    private final Runnable flush;
    private final String rawUsage;
    /** The virtual keys this reader is restricted to; null for all requests. */
    private final List<String> keys;
    private final String onlyKeys;

    JdbcReports(DataSource database, Dialect dialect, Runnable flush) {
        this(database, dialect, flush, null);
    }

    private JdbcReports(DataSource database, Dialect dialect, Runnable flush, List<String> keys) {
        this.database = database;
        this.dialect = dialect;
        this.flush = flush;
        this.keys = keys;
        this.onlyKeys = keys == null ? "" : keys.isEmpty() ? " AND 1 = 0"
                : " AND %s.api_key IN (" + String.join(", ", Collections.nCopies(keys.size(), "?")) + ")";
        // The same sums the trigger keeps, over the attempts of a part of a day. MATERIALIZED makes the
        // answer test run once per attempt rather than once per sum that uses it.
        this.rawUsage = "WITH x AS MATERIALIZED (SELECT a.created_at, a.route, a.model, a.task, a.tier, a.attempt, a.status, "
                + "a.usage_estimated, a.cost_picousd, a.cache_saving_picousd, a.input_tokens, a.output_tokens, a.cached_input_tokens, a.cache_write_tokens, "
                + "CASE WHEN " + IS_ANSWER + " THEN 1 ELSE 0 END AS is_answer, "
                + "CASE WHEN EXISTS (SELECT 1 FROM ledger_attempts e WHERE e.request_id = a.request_id "
                + "AND e.attempt < a.attempt AND e.status = 'ERROR') THEN 1 ELSE 0 END AS after_error "
                + "FROM ledger_attempts a WHERE a.created_at >= ? AND a.created_at < ?" + only("a") + ") "
                + "SELECT " + dayOf("created_at") + " AS day, route, model, coalesce(task, '') AS task, "
                + "coalesce(tier, '') AS tier, count(*), sum(CASE WHEN attempt = 1 THEN 1 ELSE 0 END), "
                + "sum(CASE WHEN status = 'ERROR' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'CANCELLED' THEN 1 ELSE 0 END), "
                + "sum(CASE WHEN usage_estimated THEN 1 ELSE 0 END), sum(cost_picousd), sum(cache_saving_picousd), "
                + "sum(input_tokens), sum(output_tokens), "
                + "sum(cached_input_tokens), sum(cache_write_tokens), sum(is_answer), sum(is_answer * after_error), "
                + "sum(is_answer * input_tokens), sum(is_answer * output_tokens), sum(is_answer * cached_input_tokens), "
                + "sum(is_answer * cache_write_tokens) FROM x GROUP BY 1, 2, 3, 4, 5";
    }

    /**
     * Reads only the attempts of the named virtual keys. The daily sums of ledger_daily and
     * ledger_daily_users have no key, so usage and users are summed from the attempts (found through the
     * index on api_key and created_at): the cost grows with the keys' attempts in the period, not the ledger's.
     */
    @Override
    public JdbcReports forKeys(Set<String> names) {
        return new JdbcReports(database, dialect, flush, List.copyOf(new TreeSet<>(names)));
    }

    /** The condition on the key filter for a table alias ('' without a filter); its values are bound by {@link #bindKeys}. */
    private String only(String alias) {
        return onlyKeys.isEmpty() ? "" : onlyKeys.formatted(alias);
    }

    /** Binds the key filter's names from {@code index} on; returns the next index. */
    private int bindKeys(PreparedStatement s, int index) throws SQLException {
        if (keys != null) {
            for (String k : keys) {
                s.setString(index++, k);
            }
        }
        return index;
    }

    /** A period cut into whole UTC days (read from the sums) and the partial days at its ends (read from the attempts). */
    private record Split(LocalDate firstWholeDay, LocalDate endWholeDays, List<ReportPeriod> partial) {

        static Split of(ReportPeriod p) {
            LocalDate first = LocalDate.ofInstant(p.from(), ZoneOffset.UTC);
            if (!ReportPeriod.startOf(first).equals(p.from())) {
                first = first.plusDays(1);
            }
            LocalDate end = LocalDate.ofInstant(p.to(), ZoneOffset.UTC);
            if (!end.isAfter(first)) {
                return new Split(null, null, List.of(p));
            }
            List<ReportPeriod> partial = new ArrayList<>();
            if (p.from().isBefore(ReportPeriod.startOf(first))) {
                partial.add(new ReportPeriod(p.from(), ReportPeriod.startOf(first)));
            }
            if (ReportPeriod.startOf(end).isBefore(p.to())) {
                partial.add(new ReportPeriod(ReportPeriod.startOf(end), p.to()));
            }
            return new Split(first, end, partial);
        }

        /** The whole period read from the attempts. */
        static Split none(ReportPeriod p) {
            return new Split(null, null, List.of(p));
        }
    }

    @Override
    public List<UsageRow> usage(ReportPeriod period) {
        flush.run();
        Split split = keys == null ? Split.of(period) : Split.none(period);
        Map<List<Object>, UsageRow> rows = new LinkedHashMap<>();
        try (Connection c = connection()) {
            if (split.firstWholeDay() != null) {
                try (PreparedStatement s = c.prepareStatement("SELECT day, route, model, task, tier, " + ROLLUP_COLUMNS
                        + " FROM ledger_daily WHERE day >= ? AND day < ?")) {
                    bindDay(s, 1, split.firstWholeDay());
                    bindDay(s, 2, split.endWholeDays());
                    readUsage(s, rows);
                }
            }
            for (ReportPeriod part : split.partial()) {
                try (PreparedStatement s = c.prepareStatement(rawUsage)) {
                    dialect.bindTime(s, 1, part.from());
                    dialect.bindTime(s, 2, part.to());
                    bindKeys(s, 3);
                    readUsage(s, rows);
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        return List.copyOf(rows.values());
    }

    private void readUsage(PreparedStatement s, Map<List<Object>, UsageRow> into) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                int i = 1;
                LocalDate day = readDay(r, i++);
                String route = r.getString(i++);
                String model = r.getString(i++);
                String task = orNull(r.getString(i++));
                String tier = orNull(r.getString(i++));
                long attempts = r.getLong(i++), requests = r.getLong(i++), errors = r.getLong(i++),
                        cancelled = r.getLong(i++), estimated = r.getLong(i++), cost = r.getLong(i++),
                        cacheSaving = r.getLong(i++);
                Usage tokens = tokens(r.getLong(i++), r.getLong(i++), r.getLong(i++), r.getLong(i++));
                long answers = r.getLong(i++), recovered = r.getLong(i++);
                Usage answerTokens = tokens(r.getLong(i++), r.getLong(i++), r.getLong(i++), r.getLong(i));
                UsageRow row = new UsageRow(day, route, model, task, tier, attempts, requests, errors, cancelled,
                        estimated, new Money(cost), new Money(cacheSaving), tokens, answers, recovered, answerTokens);
                into.merge(Arrays.asList(day, route, model, task, tier), row, UsageRow::plus);
            }
        }
    }

    private static Usage tokens(long input, long output, long cached, long cacheWrite) {
        return new Usage(input, output, cached, cacheWrite, 0, false);
    }

    @Override
    public List<UserUsage> users(ReportPeriod period) {
        flush.run();
        Split split = keys == null ? Split.of(period) : Split.none(period);
        Map<String, long[]> users = new LinkedHashMap<>();
        try (Connection c = connection()) {
            if (split.firstWholeDay() != null) {
                try (PreparedStatement s = c.prepareStatement("SELECT user_id, sum(attempts), sum(requests), sum(cost_picousd) "
                        + "FROM ledger_daily_users WHERE day >= ? AND day < ? GROUP BY user_id")) {
                    bindDay(s, 1, split.firstWholeDay());
                    bindDay(s, 2, split.endWholeDays());
                    readUsers(s, users);
                }
            }
            for (ReportPeriod part : split.partial()) {
                try (PreparedStatement s = c.prepareStatement("SELECT coalesce(user_id, ''), count(*), "
                        + "sum(CASE WHEN attempt = 1 THEN 1 ELSE 0 END), sum(cost_picousd) FROM ledger_attempts a "
                        + "WHERE created_at >= ? AND created_at < ?" + only("a") + " GROUP BY 1")) {
                    dialect.bindTime(s, 1, part.from());
                    dialect.bindTime(s, 2, part.to());
                    bindKeys(s, 3);
                    readUsers(s, users);
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        List<UserUsage> out = new ArrayList<>();
        users.forEach((user, n) -> out.add(new UserUsage(orNull(user), n[0], n[1], new Money(n[2]))));
        return out;
    }

    private static void readUsers(PreparedStatement s, Map<String, long[]> into) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long[] n = into.computeIfAbsent(r.getString(1), k -> new long[3]);
                n[0] += r.getLong(2);
                n[1] += r.getLong(3);
                n[2] = Math.addExact(n[2], r.getLong(4));
            }
        }
    }

    @Override
    public List<KeyUsage> keys(ReportPeriod period) {
        flush.run();
        Split split = Split.of(period);
        Map<String, long[]> sums = new LinkedHashMap<>();
        try (Connection c = connection()) {
            if (split.firstWholeDay() != null) {
                try (PreparedStatement s = c.prepareStatement("SELECT api_key, sum(attempts), sum(requests), sum(cost_picousd), "
                        + "sum(input_tokens), sum(output_tokens) FROM ledger_daily_keys a WHERE day >= ? AND day < ?" + only("a")
                        + " GROUP BY api_key")) {
                    bindDay(s, 1, split.firstWholeDay());
                    bindDay(s, 2, split.endWholeDays());
                    bindKeys(s, 3);
                    readKeys(s, sums);
                }
            }
            for (ReportPeriod part : split.partial()) {
                try (PreparedStatement s = c.prepareStatement("SELECT coalesce(api_key, ''), count(*), "
                        + "sum(CASE WHEN attempt = 1 THEN 1 ELSE 0 END), sum(cost_picousd), sum(input_tokens), sum(output_tokens) "
                        + "FROM ledger_attempts a WHERE created_at >= ? AND created_at < ?" + only("a") + " GROUP BY 1")) {
                    dialect.bindTime(s, 1, part.from());
                    dialect.bindTime(s, 2, part.to());
                    bindKeys(s, 3);
                    readKeys(s, sums);
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        List<KeyUsage> out = new ArrayList<>();
        sums.forEach((key, n) -> out.add(new KeyUsage(orNull(key), n[0], n[1], n[3], n[4], new Money(n[2]))));
        return out;
    }

    private static void readKeys(PreparedStatement s, Map<String, long[]> into) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long[] n = into.computeIfAbsent(r.getString(1), k -> new long[5]);
                n[0] += r.getLong(2);
                n[1] += r.getLong(3);
                n[2] = Math.addExact(n[2], r.getLong(4));
                n[3] += r.getLong(5);
                n[4] += r.getLong(6);
            }
        }
    }

    /** Feedback on requests started in the period; with a key filter, on the requests of those keys. */
    @Override
    public List<FeedbackRow> feedback(ReportPeriod period) {
        flush.run();
        String sql = "SELECT " + dayOf("request_at") + ", route, model, task, count(*), sum(score_micros) "
                + "FROM ledger_feedback WHERE request_at >= ? AND request_at < ?" + feedbackOfKeys() + " GROUP BY 1, 2, 3, 4";
        List<FeedbackRow> out = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            dialect.bindTime(s, 1, period.from());
            dialect.bindTime(s, 2, period.to());
            bindFeedbackOfKeys(s, 3, period);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new FeedbackRow(readDay(r, 1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                            r.getLong(6)));
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        return out;
    }

    /** With a key filter, the condition that keeps feedback on those keys' requests started in the period ('' without). */
    private String feedbackOfKeys() {
        return keys == null ? "" : " AND request_id IN (SELECT a.request_id FROM ledger_attempts a WHERE a.attempt = 1 "
                + "AND a.created_at >= ? AND a.created_at < ?" + only("a") + ")";
    }

    /** Binds {@link #feedbackOfKeys()}'s values from {@code index} on. */
    private void bindFeedbackOfKeys(PreparedStatement s, int index, ReportPeriod period) throws SQLException {
        if (keys != null) {
            dialect.bindTime(s, index, period.from());
            dialect.bindTime(s, index + 1, period.to());
            bindKeys(s, index + 2);
        }
    }

    /**
     * Summed from the attempts of the period that have an arm (through the partial index on created_at) and from
     * the feedback rows, which carry their request's arm. Summarizer calls count in their arm's cost.
     */
    @Override
    public List<CacheUsage> responseCache(ReportPeriod period) {
        flush.run();
        List<CacheUsage> out = new ArrayList<>();
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("SELECT c.route, c.model, c.outcome, count(*), sum(c.saved_picousd) "
                     + "FROM ledger_cache c WHERE c.created_at >= ? AND c.created_at < ?" + only("c")
                     + " GROUP BY c.route, c.model, c.outcome ORDER BY c.route, c.model, c.outcome")) {
            dialect.bindTime(s, 1, period.from());
            dialect.bindTime(s, 2, period.to());
            bindKeys(s, 3);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new CacheUsage(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), new Money(r.getLong(5))));
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        return out;
    }

    @Override
    public List<ArmUsage> contextArms(ReportPeriod period) {
        flush.run();
        Map<String, long[]> arms = new TreeMap<>();
        try (Connection c = connection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT a.context_arm, count(*), "
                    + "sum(CASE WHEN a.attempt = 1 THEN 1 ELSE 0 END), sum(CASE WHEN " + IS_ANSWER + " THEN 1 ELSE 0 END), "
                    + "sum(a.cost_picousd), sum(a.input_tokens), sum(a.output_tokens) FROM ledger_attempts a "
                    + "WHERE a.created_at >= ? AND a.created_at < ? AND a.context_arm IS NOT NULL" + only("a")
                    + " GROUP BY a.context_arm")) {
                dialect.bindTime(s, 1, period.from());
                dialect.bindTime(s, 2, period.to());
                bindKeys(s, 3);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        long[] n = arms.computeIfAbsent(r.getString(1), k -> new long[8]);
                        for (int i = 0; i < 6; i++) {
                            n[i] = r.getLong(i + 2);
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT context_arm, count(*), sum(score_micros) FROM ledger_feedback "
                    + "WHERE request_at >= ? AND request_at < ? AND context_arm IS NOT NULL" + feedbackOfKeys()
                    + " GROUP BY context_arm")) {
                dialect.bindTime(s, 1, period.from());
                dialect.bindTime(s, 2, period.to());
                bindFeedbackOfKeys(s, 3, period);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        long[] n = arms.computeIfAbsent(r.getString(1), k -> new long[8]);
                        n[6] = r.getLong(2);
                        n[7] = r.getLong(3);
                    }
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        List<ArmUsage> out = new ArrayList<>();
        arms.forEach((arm, n) -> out.add(new ArmUsage(arm, n[0], n[1], n[2], new Money(n[3]), n[4], n[5], n[6], n[7])));
        return out;
    }

    /**
     * Five histograms over the period's successful attempts (latency per model, route and UTC day; time to first token
     * per model and route), counted here in one streamed pass over them (through the index on created_at): one row per
     * name and distinct millisecond, exactly what percentiles need. One pass, not five GROUP BY sorts: over a million
     * attempts that is the difference between about a second and half a minute on SQLite.
     */
    @Override
    public List<LatencyRow> latencies(ReportPeriod period, int oneIn) {
        flush.run();
        Map<LatencyRow.Axis, Map<String, Map<Long, long[]>>> latency = new EnumMap<>(LatencyRow.Axis.class);
        Map<LatencyRow.Axis, Map<String, Map<Long, long[]>>> ttft = new EnumMap<>(LatencyRow.Axis.class);
        try (Connection c = connection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL streams a result only inside a transaction with a fetch size; otherwise it holds every row.
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("SELECT a.model, a.route, " + dayOf("a.created_at")
                    + ", a.latency_ms, a.ttft_ms FROM ledger_attempts a WHERE a.created_at >= ? AND a.created_at < ? "
                    + "AND a.status = 'OK'" + (oneIn > 1 ? " AND a.id % " + oneIn + " = 0" : "") + only("a"))) {
                s.setFetchSize(10_000);
                dialect.bindTime(s, 1, period.from());
                dialect.bindTime(s, 2, period.to());
                bindKeys(s, 3);
                Map<Object, String> days = new HashMap<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String model = r.getString(1), route = r.getString(2);
                        Object dayKey = r.getObject(3);
                        String day = days.computeIfAbsent(dayKey, k -> {
                            try {
                                return readDay(r, 3).toString();
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        // a clock that stepped back can record a negative time; it counts as 0 ms
                        long ms = Math.max(0, r.getLong(4));
                        count(latency, LatencyRow.Axis.MODEL, model, ms);
                        count(latency, LatencyRow.Axis.ROUTE, route, ms);
                        count(latency, LatencyRow.Axis.DAY, day, ms);
                        long first = r.getLong(5);
                        if (!r.wasNull()) {
                            count(ttft, LatencyRow.Axis.MODEL, model, Math.max(0, first));
                            count(ttft, LatencyRow.Axis.ROUTE, route, Math.max(0, first));
                        }
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        List<LatencyRow> out = new ArrayList<>();
        rows(latency, LatencyRow.Measure.LATENCY, out);
        rows(ttft, LatencyRow.Measure.TTFT, out);
        return out;
    }

    private static void count(Map<LatencyRow.Axis, Map<String, Map<Long, long[]>>> into, LatencyRow.Axis axis, String name, long ms) {
        into.computeIfAbsent(axis, a -> new HashMap<>()).computeIfAbsent(name, n -> new HashMap<>())
                .computeIfAbsent(ms, m -> new long[1])[0]++;
    }

    private static void rows(Map<LatencyRow.Axis, Map<String, Map<Long, long[]>>> counts, LatencyRow.Measure measure,
                             List<LatencyRow> into) {
        counts.forEach((axis, names) -> names.forEach((name, bars) -> bars.forEach((ms, n) ->
                into.add(new LatencyRow(axis, measure, name, ms, n[0])))));
    }

    @Override
    public Optional<Instant> firstActivity(ReportPeriod period) {
        flush.run();
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(
                "SELECT min(created_at) AS first_at FROM ledger_attempts a WHERE created_at >= ? AND created_at < ?" + only("a"))) {
            dialect.bindTime(s, 1, period.from());
            dialect.bindTime(s, 2, period.to());
            bindKeys(s, 3);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getObject(1) == null ? Optional.empty() : Optional.of(dialect.readTime(r, "first_at"));
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** Dead letters whose attempt started in the period; their cost saturates at the limits of a long. */
    @Override
    public DeadLetterRow deadLetters(ReportPeriod period) {
        flush.run();
        long entries = 0, texts = 0, cost = 0;
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement("SELECT kind, count(*), "
                + "coalesce(sum(cost_picousd), 0) FROM ledger_dead_letters WHERE created_at >= ? AND created_at < ? GROUP BY kind")) {
            dialect.bindTime(s, 1, period.from());
            dialect.bindTime(s, 2, period.to());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if ("text".equals(r.getString(1))) {
                        texts += r.getLong(2);
                    } else {
                        entries += r.getLong(2);
                        // PostgreSQL sums bigints as numeric: clamp rather than fail on an absurd total.
                        BigDecimal sum = r.getBigDecimal(3);
                        cost = DeadLetters.saturatingAdd(cost, sum.max(MIN_PICOS).min(MAX_PICOS).longValue());
                    }
                }
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
        return new DeadLetterRow(entries, texts, new Money(cost));
    }

    @Override
    public Money spent(String route, String tier, ReportPeriod period) {
        flush.run();
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(sum(cost_picousd), 0) FROM ledger_attempts "
                        + "WHERE created_at >= ? AND created_at < ? AND route = ? AND tier = ?")) {
            dialect.bindTime(s, 1, period.from());
            dialect.bindTime(s, 2, period.to());
            s.setString(3, route);
            s.setString(4, tier);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Money(r.getLong(1));
            }
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * Stores the feedback with the request's route, task, tier, user and context arm (from its first attempt) and its
     * answering model (its last non-scorer attempt, if that succeeded), so quality reports need no join.
     */
    @Override
    public boolean record(Feedback feedback) {
        flush.run();
        try (Connection c = connection()) {
            Attempt first = null, last = null;
            try (PreparedStatement s = c.prepareStatement("SELECT attempt, route, model, task, tier, user_id, step, status, "
                    + "created_at, context_arm FROM ledger_attempts WHERE request_id = ? ORDER BY attempt")) {
                s.setString(1, feedback.requestId());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Attempt a = new Attempt(r.getString("route"), r.getString("model"), r.getString("task"),
                                r.getString("tier"), r.getString("user_id"), r.getString("step"), r.getString("status"),
                                dialect.readTime(r, "created_at"), r.getString("context_arm"));
                        if (first == null) {
                            first = a;
                        }
                        if (!"judge".equals(a.step) && !"sample".equals(a.step)) {
                            last = a;
                        }
                    }
                }
            }
            if (first == null) {
                return false;
            }
            String answeredBy = last != null && "OK".equals(last.status) ? last.model : null;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_feedback (request_id, score_micros, comment, "
                    + "route, model, task, tier, user_id, request_at, created_at, context_arm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 0;
                s.setString(++i, feedback.requestId());
                s.setLong(++i, feedback.scoreMicros());
                // The client's own text (Feedback bounds its length): NUL would make PostgreSQL refuse the row.
                setNullable(s, ++i, feedback.comment() == null ? null : Storable.clean(feedback.comment()));
                s.setString(++i, first.route);
                setNullable(s, ++i, answeredBy);
                setNullable(s, ++i, first.task);
                setNullable(s, ++i, first.tier);
                setNullable(s, ++i, first.user);
                dialect.bindTime(s, ++i, first.time);
                dialect.bindTime(s, ++i, feedback.time());
                setNullable(s, ++i, first.contextArm);
                s.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new LedgerUnavailableException("cannot store feedback: " + Secrets.redact(e.getMessage()), e);
        }
    }

    private record Attempt(String route, String model, String task, String tier, String user, String step,
                           String status, Instant time, String contextArm) {
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    /**
     * A pooled connection ready for report queries. PostgreSQL's JIT compiler spends longer compiling
     * these short aggregate queries (~0.4 s) than they take to run, so it is turned off; the setting
     * stays on the pooled connection, where the ledger's small inserts never benefit from it either.
     */
    private Connection connection() throws SQLException {
        Connection c = database.getConnection();
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SET jit = off");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private String dayOf(String column) {
        return dialect == Dialect.SQLITE ? column + " / 86400000" : "(" + column + " AT TIME ZONE 'UTC')::date";
    }

    private void bindDay(PreparedStatement s, int index, LocalDate day) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            s.setLong(index, day.toEpochDay());
        } else {
            s.setObject(index, day);
        }
    }

    private LocalDate readDay(ResultSet r, int index) throws SQLException {
        return dialect == Dialect.SQLITE ? LocalDate.ofEpochDay(r.getLong(index)) : r.getObject(index, LocalDate.class);
    }

    private static String orNull(String key) {
        return key == null || key.isEmpty() ? null : key;
    }

    private static LedgerUnavailableException readFailed(SQLException e) {
        return new LedgerUnavailableException("cannot read the ledger: " + Secrets.redact(e.getMessage()), e);
    }
}
