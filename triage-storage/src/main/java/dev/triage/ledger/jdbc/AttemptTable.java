package dev.triage.ledger.jdbc;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import dev.triage.provider.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every SQL statement on {@code ledger_attempts}, and the mapping between its rows and {@link LedgerEntry};
 * writes captured texts ({@link TextTable}) in the same transactions as the entries they travel with.
 */
final class AttemptTable {

    private static final String TABLE = "ledger_attempts";
    private static final List<String> COLUMNS = List.of("request_id", "attempt", "route", "model", "provider",
            "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens",
            "usage_estimated", "cost_picousd", "cache_saving_picousd", "latency_ms", "ttft_ms", "status", "error_kind", "http_status",
            "stream", "user_id", "task", "tier", "step", "decision", "created_at", "api_key", "context_arm");
    private static final String COLUMN_LIST = String.join(", ", COLUMNS);

    private final DataSource database;
    private final Dialect dialect;
    private final String insert;
    private final TextTable texts;
    private final CacheTable caches;

    AttemptTable(DataSource database, Dialect dialect) {
        this.database = database;
        this.dialect = dialect;
        this.insert = dialect.insertIgnoringDuplicates(TABLE, COLUMN_LIST,
                String.join(", ", Collections.nCopies(COLUMNS.size(), "?")), "request_id, attempt");
        this.texts = new TextTable(database, dialect);
        this.caches = new CacheTable(dialect);
    }

    Dialect dialect() {
        return dialect;
    }

    TextTable texts() {
        return texts;
    }

    /** Writes the rows (entries and texts) in one transaction; rows already stored are skipped. */
    void insert(List<? extends LedgerRecord> rows) throws SQLException {
        Transaction.run(database, connection -> {
            PreparedStatement textStatement = null;
            PreparedStatement cacheStatement = null;
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                boolean entries = false;
                for (LedgerRecord row : rows) {
                    switch (row) {
                        case LedgerEntry e -> {
                            bind(statement, e);
                            statement.addBatch();
                            entries = true;
                        }
                        case CapturedText t -> {
                            if (textStatement == null) {
                                textStatement = connection.prepareStatement(texts.insertSql());
                            }
                            texts.bind(textStatement, t);
                            textStatement.addBatch();
                        }
                        case CacheLookup c -> {
                            if (cacheStatement == null) {
                                cacheStatement = connection.prepareStatement(caches.insertSql());
                            }
                            caches.bind(cacheStatement, c);
                            cacheStatement.addBatch();
                        }
                    }
                }
                if (entries) {
                    statement.executeBatch();
                }
                if (textStatement != null) {
                    textStatement.executeBatch();
                }
                if (cacheStatement != null) {
                    cacheStatement.executeBatch();
                }
            } finally {
                if (textStatement != null) {
                    textStatement.close();
                }
                if (cacheStatement != null) {
                    cacheStatement.close();
                }
            }
            return null;
        });
    }

    /** A row the database refused itself (its data, not the database's state), so writing it again cannot succeed. */
    record Refusal(LedgerRecord record, SQLException reason) {
    }

    /**
     * Writes the rows in one transaction, skipping rows already stored. If the database refuses a row
     * itself, halves the batch and writes each half the same way, down to the single rows it refuses,
     * and returns those: one bad row costs about 2 log2(n) transactions, and never holds back the rest.
     *
     * @throws SQLException if the database could not be written at all (unreachable, locked, read-only…);
     *                      halves written before that stay written, and writing them again is a no-op
     */
    List<Refusal> insertIsolatingRefused(List<? extends LedgerRecord> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        try {
            insert(rows);
            return List.of();
        } catch (SQLException e) {
            if (!dialect.rejectsRow(e)) {
                throw e;
            }
            if (rows.size() == 1) {
                return List.of(new Refusal(rows.getFirst(), e));
            }
        }
        int half = rows.size() / 2;
        List<Refusal> refused = new ArrayList<>(insertIsolatingRefused(rows.subList(0, half)));
        refused.addAll(insertIsolatingRefused(rows.subList(half, rows.size())));
        return refused;
    }

    /** One line about a failure: driver messages carry no credentials, and pass through Secrets.redact anyway. */
    static String describe(Exception e) {
        Throwable t = e;
        if (e instanceof SQLException s && s.getNextException() != null) {
            t = s.getNextException(); // a batch failure's own message repeats the whole statement
        }
        String detail = t instanceof SQLException s ? " [SQLState " + s.getSQLState() + ", code " + s.getErrorCode() + "]" : "";
        String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return t.getClass().getSimpleName() + detail + ": " + Secrets.redact(message);
    }

    List<LedgerEntry> byRequest(String requestId) throws SQLException {
        String sql = "SELECT " + COLUMN_LIST + " FROM " + TABLE + " WHERE request_id = ? ORDER BY attempt";
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, requestId);
            return read(statement);
        }
    }

    /** Entries with {@code from <= time < to}, oldest first, compared at millisecond precision. */
    List<LedgerEntry> between(Instant from, Instant to, int limit) throws SQLException {
        String sql = "SELECT " + COLUMN_LIST + " FROM " + TABLE
                + " WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id LIMIT ?";
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            dialect.bindTime(statement, 1, from);
            dialect.bindTime(statement, 2, to);
            statement.setInt(3, limit);
            return read(statement);
        }
    }

    long count() throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + TABLE);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void bind(PreparedStatement statement, LedgerEntry entry) throws SQLException {
        LedgerEntry e = Storable.entry(entry); // a line spooled by an older version may not be
        Usage usage = e.usage();
        int i = 0;
        statement.setString(++i, e.requestId());
        statement.setInt(++i, e.attempt());
        statement.setString(++i, e.route());
        statement.setString(++i, e.model());
        statement.setString(++i, e.provider());
        statement.setLong(++i, usage.inputTokens());
        statement.setLong(++i, usage.outputTokens());
        statement.setLong(++i, usage.cachedInputTokens());
        statement.setLong(++i, usage.cacheWriteTokens());
        statement.setLong(++i, usage.reasoningTokens());
        statement.setBoolean(++i, usage.estimated());
        statement.setLong(++i, e.cost().picos());
        statement.setLong(++i, e.cacheSaving().picos());
        statement.setLong(++i, e.latencyMs());
        if (e.ttftMs() == null) {
            statement.setNull(++i, Types.BIGINT);
        } else {
            statement.setLong(++i, e.ttftMs());
        }
        statement.setString(++i, e.status().name());
        statement.setString(++i, e.errorKind());
        statement.setInt(++i, e.httpStatus());
        statement.setBoolean(++i, e.stream());
        statement.setString(++i, e.user());
        statement.setString(++i, e.task());
        statement.setString(++i, e.tier());
        statement.setString(++i, e.step());
        statement.setString(++i, e.decision());
        dialect.bindTime(statement, ++i, e.time());
        statement.setString(++i, e.apiKey());
        statement.setString(++i, e.contextArm());
    }

    private List<LedgerEntry> read(PreparedStatement statement) throws SQLException {
        List<LedgerEntry> entries = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                entries.add(entry(rows));
            }
        }
        return entries;
    }

    private LedgerEntry entry(ResultSet rows) throws SQLException {
        Usage usage = new Usage(rows.getLong("input_tokens"), rows.getLong("output_tokens"),
                rows.getLong("cached_input_tokens"), rows.getLong("cache_write_tokens"),
                rows.getLong("reasoning_tokens"), rows.getBoolean("usage_estimated"));
        long ttft = rows.getLong("ttft_ms");
        Long ttftMs = rows.wasNull() ? null : ttft;
        return new LedgerEntry(rows.getString("request_id"), rows.getInt("attempt"), rows.getString("route"),
                rows.getString("model"), rows.getString("provider"), usage, new Money(rows.getLong("cost_picousd")),
                new Money(rows.getLong("cache_saving_picousd")), rows.getLong("latency_ms"), ttftMs, AttemptStatus.valueOf(rows.getString("status")),
                rows.getString("error_kind"), rows.getInt("http_status"), rows.getBoolean("stream"),
                rows.getString("user_id"), rows.getString("task"), rows.getString("tier"),
                rows.getString("step"), rows.getString("decision"), dialect.readTime(rows, "created_at"),
                rows.getString("api_key"), rows.getString("context_arm"));
    }
}
