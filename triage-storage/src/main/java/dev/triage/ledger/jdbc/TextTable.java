package dev.triage.ledger.jdbc;

import dev.triage.ledger.CapturedText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Every SQL statement on {@code ledger_texts}: captured texts in, and out again joined with their feedback. */
final class TextTable {

    private static final String TABLE = "ledger_texts";
    private static final List<String> COLUMNS = List.of("request_id", "route", "model", "prompt", "answer",
            "finish_reason", "created_at");
    private static final String COLUMN_LIST = String.join(", ", COLUMNS);

    private final DataSource database;
    private final Dialect dialect;
    private final String insert;

    TextTable(DataSource database, Dialect dialect) {
        this.database = database;
        this.dialect = dialect;
        this.insert = dialect.insertIgnoringDuplicates(TABLE, COLUMN_LIST,
                String.join(", ", Collections.nCopies(COLUMNS.size(), "?")), "request_id");
    }

    /** An INSERT of one text that skips a request whose text is already stored (a spool replayed). */
    String insertSql() {
        return insert;
    }

    void bind(PreparedStatement statement, CapturedText text) throws SQLException {
        CapturedText t = Storable.text(text);
        int i = 0;
        statement.setString(++i, t.requestId());
        statement.setString(++i, t.route());
        statement.setString(++i, t.model());
        statement.setString(++i, t.prompt());
        setNullable(statement, ++i, t.answer());
        setNullable(statement, ++i, t.finishReason());
        dialect.bindTime(statement, ++i, t.time());
    }

    Optional<CapturedText> byRequest(String requestId) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMN_LIST + " FROM " + TABLE + " WHERE request_id = ?")) {
            s.setString(1, requestId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(text(r, r.getString("request_id"))) : Optional.empty();
            }
        }
    }

    long count() throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + TABLE);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * The requests rated whose first attempt started in {@code [from, to)}: how many there are, and
     * each one with a captured text, with its ratings summed. Ratings are summed before the join so the
     * long text columns are never grouped.
     */
    FeedbackTexts withFeedback(Instant from, Instant to) throws SQLException {
        String sql = "SELECT f.request_id, f.ratings, f.score_sum, t.request_id AS text_id, t.route, t.model, t.prompt, "
                + "t.answer, t.finish_reason, t.created_at FROM (SELECT request_id, count(*) AS ratings, "
                + "sum(score_micros) AS score_sum, min(request_at) AS request_at FROM ledger_feedback "
                + "WHERE request_at >= ? AND request_at < ? GROUP BY request_id) f "
                + "LEFT JOIN " + TABLE + " t ON t.request_id = f.request_id ORDER BY f.request_at, f.request_id";
        long requests = 0;
        List<FeedbackTexts.Rated> rated = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            dialect.bindTime(s, 1, from);
            dialect.bindTime(s, 2, to);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    requests++;
                    String textId = r.getString("text_id");
                    if (textId != null) {
                        rated.add(new FeedbackTexts.Rated(text(r, textId), r.getLong("ratings"), r.getLong("score_sum")));
                    }
                }
            }
        }
        return new FeedbackTexts(requests, rated);
    }

    private CapturedText text(ResultSet r, String requestId) throws SQLException {
        return new CapturedText(requestId, r.getString("route"), r.getString("model"), r.getString("prompt"),
                r.getString("answer"), r.getString("finish_reason"), dialect.readTime(r, "created_at"));
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
