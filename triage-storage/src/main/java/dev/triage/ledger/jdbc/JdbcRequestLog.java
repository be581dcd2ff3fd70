package dev.triage.ledger.jdbc;

import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.provider.Secrets;
import dev.triage.report.RequestCursor;
import dev.triage.report.RequestLog;
import dev.triage.report.RequestPage;
import dev.triage.report.RequestQuery;
import dev.triage.report.RequestSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The request log on the ledger database. A page is found on the requests' first attempts (index on created_at),
 * newest first and keyed on (created_at, request_id), then the attempts of just those requests are read and summed
 * here: a page costs its own rows, not the period's.
 */
final class JdbcRequestLog implements RequestLog {

    /** Longest prompt or answer text a line carries, in chars; longer ones are cut and end with an ellipsis. */
    static final int MAX_TEXT_CHARS = 2_000;

    private static final String NOT_SCORER = "(%1$s.step IS NULL OR %1$s.step NOT IN ('judge', 'sample'))";

    private final DataSource database;
    private final Dialect dialect;
    private final Runnable flush;

    JdbcRequestLog(DataSource database, Dialect dialect, Runnable flush) {
        this.database = database;
        this.dialect = dialect;
        this.flush = flush;
    }

    @Override
    public RequestPage requests(RequestQuery q) {
        flush.run();
        StringBuilder sql = new StringBuilder("SELECT a.request_id, a.created_at FROM ledger_attempts a "
                + "WHERE a.attempt = 1 AND a.created_at >= ? AND a.created_at < ?");
        if (q.route() != null) {
            sql.append(" AND a.route = ?");
        }
        List<String> keys = q.keys() == null ? List.of() : q.keys().stream().sorted().toList();
        if (!keys.isEmpty()) {
            sql.append(" AND a.api_key IN (").append(String.join(", ", Collections.nCopies(keys.size(), "?"))).append(")");
        }
        if (q.model() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM ledger_attempts m WHERE m.request_id = a.request_id AND m.model = ?)");
        }
        if (q.status() != null) {
            // the request's status is its last attempt that is not a scorer's call, as in the reports' answers
            sql.append(" AND EXISTS (SELECT 1 FROM ledger_attempts s WHERE s.request_id = a.request_id AND s.status = ? AND ")
                    .append(NOT_SCORER.formatted("s")).append(" AND NOT EXISTS (SELECT 1 FROM ledger_attempts t WHERE ")
                    .append("t.request_id = a.request_id AND t.attempt > s.attempt AND ").append(NOT_SCORER.formatted("t")).append("))");
        }
        if (q.after() != null) {
            sql.append(" AND (a.created_at < ? OR (a.created_at = ? AND a.request_id < ?))");
        }
        sql.append(" ORDER BY a.created_at DESC, a.request_id DESC LIMIT ?");
        try (Connection c = database.getConnection()) {
            List<String> ids = new ArrayList<>();
            Map<String, Instant> started = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                dialect.bindTime(s, i++, q.period().from());
                dialect.bindTime(s, i++, q.period().to());
                if (q.route() != null) {
                    s.setString(i++, q.route());
                }
                for (String key : keys) {
                    s.setString(i++, key);
                }
                if (q.model() != null) {
                    s.setString(i++, q.model());
                }
                if (q.status() != null) {
                    s.setString(i++, q.status().name());
                }
                if (q.after() != null) {
                    dialect.bindTime(s, i++, q.after().time());
                    dialect.bindTime(s, i++, q.after().time());
                    s.setString(i++, q.after().requestId());
                }
                s.setInt(i, q.limit() + 1);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                        started.put(r.getString(1), dialect.readTime(r, "created_at"));
                    }
                }
            }
            boolean more = ids.size() > q.limit();
            List<String> page = more ? ids.subList(0, q.limit()) : ids;
            if (page.isEmpty()) {
                return new RequestPage(List.of(), null);
            }
            Map<String, List<Attempt>> attempts = attempts(c, page);
            Map<String, String[]> texts = q.withText() ? texts(c, page) : Map.of();
            List<RequestSummary> out = new ArrayList<>();
            for (String id : page) {
                String[] text = texts.get(id);
                out.add(summary(id, attempts.get(id), text == null ? null : text[0], text == null ? null : text[1]));
            }
            String last = page.getLast();
            return new RequestPage(List.copyOf(out), more ? new RequestCursor(started.get(last), last) : null);
        } catch (SQLException e) {
            throw new LedgerUnavailableException("cannot read the ledger: " + Secrets.redact(e.getMessage()), e);
        }
    }

    private record Attempt(int attempt, String route, String model, String key, String user, String task, String step,
                           AttemptStatus status, long input, long output, long cost, long latency, Long ttft, Instant time) {

        boolean scorer() {
            return "judge".equals(step) || "sample".equals(step);
        }
    }

    private Map<String, List<Attempt>> attempts(Connection c, List<String> ids) throws SQLException {
        Map<String, List<Attempt>> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT request_id, attempt, route, model, api_key, user_id, task, step, "
                + "status, input_tokens, output_tokens, cost_picousd, latency_ms, ttft_ms, created_at FROM ledger_attempts "
                + "WHERE request_id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") ORDER BY request_id, attempt")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 1, ids.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long ttft = r.getLong("ttft_ms");
                    Long ttftMs = r.wasNull() ? null : ttft;
                    out.computeIfAbsent(r.getString("request_id"), k -> new ArrayList<>()).add(new Attempt(r.getInt("attempt"),
                            r.getString("route"), r.getString("model"), r.getString("api_key"), r.getString("user_id"),
                            r.getString("task"), r.getString("step"), AttemptStatus.valueOf(r.getString("status")),
                            r.getLong("input_tokens"), r.getLong("output_tokens"), r.getLong("cost_picousd"),
                            r.getLong("latency_ms"), ttftMs, dialect.readTime(r, "created_at")));
                }
            }
        }
        return out;
    }

    private static Map<String, String[]> texts(Connection c, List<String> ids) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT request_id, prompt, answer FROM ledger_texts WHERE request_id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setString(i + 1, ids.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new String[] {cut(r.getString(2)), cut(r.getString(3))});
                }
            }
        }
        return out;
    }

    /** At most {@link #MAX_TEXT_CHARS} chars (never half a surrogate pair), with an ellipsis when cut. */
    static String cut(String text) {
        if (text == null || text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
        return text.substring(0, end) + "…";
    }

    private static RequestSummary summary(String id, List<Attempt> attempts, String prompt, String answer) {
        Attempt first = attempts.getFirst();
        Attempt last = first;
        long input = 0, output = 0, cost = 0;
        long begin = Long.MAX_VALUE, end = Long.MIN_VALUE;
        List<String> models = new ArrayList<>();
        for (Attempt a : attempts) {
            if (!a.scorer()) {
                last = a;
            }
            models.add(a.model());
            input += a.input();
            output += a.output();
            cost = Math.addExact(cost, a.cost());
            begin = Math.min(begin, a.time().toEpochMilli());
            end = Math.max(end, a.time().toEpochMilli() + Math.max(0, a.latency()));
        }
        return new RequestSummary(first.time(), id, first.key(), first.route(), last.model(), List.copyOf(models), attempts.size(),
                input, output, new Money(cost), end - begin, last.ttft(), last.status(), first.user(), first.task(), prompt, answer);
    }
}
