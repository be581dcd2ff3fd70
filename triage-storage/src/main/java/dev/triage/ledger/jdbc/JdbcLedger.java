package dev.triage.ledger.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.triage.ledger.Ledger;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.Secrets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.Flyway;

/**
 * The ledger on SQLite or PostgreSQL.
 *
 * <p>{@link #record} only queues: a background thread writes batches in single transactions, skipping
 * any (request id, attempt) already stored, and retries with backoff while the database is down. When
 * the queue is full, {@code record} waits up to {@link LedgerOptions#enqueueTimeout()} for room, then
 * drops the entry, logs an error and counts it in {@link #droppedCount()}; entries recorded after
 * {@link #close()} are dropped and counted the same way. Times are stored to the millisecond.
 */
public final class JdbcLedger implements Ledger {

    private final HikariDataSource pool;
    private final AttemptTable table;
    private final BatchWriter writer;
    private final JdbcReports reports;

    private JdbcLedger(HikariDataSource pool, AttemptTable table, LedgerOptions options) {
        this.pool = pool;
        this.table = table;
        this.writer = new BatchWriter(table, options);
        this.reports = new JdbcReports(pool, table.dialect(), this::flush);
    }

    /**
     * Connects, applies pending migrations and starts the writer.
     *
     * @param url {@code sqlite:PATH} (parent directories are created), {@code jdbc:sqlite:PATH} or
     *            {@code jdbc:postgresql://HOST[:PORT]/DB[?...]}
     * @throws LedgerUnavailableException if the database cannot be reached or migrated
     */
    public static JdbcLedger open(String url, LedgerOptions options) {
        Objects.requireNonNull(options, "options");
        LedgerUrl location = LedgerUrl.parse(url);
        location.createParentDirectories();
        HikariConfig config = new HikariConfig();
        config.setPoolName("triage-ledger");
        config.setJdbcUrl(location.jdbcUrl());
        config.setConnectionTimeout(5_000);
        if (options.user() != null) {
            config.setUsername(options.user());
        }
        if (options.password() != null) {
            config.setPassword(options.password());
        }
        location.dialect().configure(config, location.parameterNames());

        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("cannot connect to the ledger database: " + Secrets.redact(e.getMessage()), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(location.dialect().migrations())
                    // Our own history table, so a database shared with another Flyway user stays unambiguous.
                    .table("triage_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new LedgerUnavailableException("cannot migrate the ledger database: " + Secrets.redact(e.getMessage()), e);
        }
        JdbcLedger ledger = new JdbcLedger(pool, new AttemptTable(pool, location.dialect()), options);
        ledger.writer.start();
        return ledger;
    }

    /** Queues the entry; never waits for the database (see the class comment for a full queue). */
    @Override
    public void record(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entry.requestId(), "requestId");
        Objects.requireNonNull(entry.route(), "route");
        Objects.requireNonNull(entry.model(), "model");
        Objects.requireNonNull(entry.provider(), "provider");
        Objects.requireNonNull(entry.usage(), "usage");
        Objects.requireNonNull(entry.cost(), "cost");
        Objects.requireNonNull(entry.status(), "status");
        Objects.requireNonNull(entry.time(), "time");
        writer.submit(entry);
    }

    /**
     * Blocks until every entry recorded before the call is written.
     *
     * @throws LedgerUnavailableException if that takes longer than {@link LedgerOptions#flushTimeout()}
     */
    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public List<LedgerEntry> findByRequest(String requestId) {
        flush();
        try {
            return table.byRequest(requestId);
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** Up to {@code limit} entries with {@code from <= time < to}, oldest first (flushes first). */
    public List<LedgerEntry> findBetween(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 0) {
            throw new IllegalArgumentException("limit cannot be negative");
        }
        flush();
        try {
            return table.between(from, to, limit);
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** How many entries are stored (flushes first). */
    public long count() {
        flush();
        try {
            return table.count();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** Reports and feedback over this ledger's database (reads flush the queue first). */
    public JdbcReports reports() {
        return reports;
    }

    /** Entries lost because the queue was full, the ledger was closed, or the database rejected them. */
    public long droppedCount() {
        return writer.droppedCount();
    }

    /** Write attempts the database refused (each is retried); a rising number means the database is down. */
    public long failedWriteCount() {
        return writer.failedWriteCount();
    }

    /** Writes what is queued (waiting at most the flush timeout), stops the writer and closes the pool; idempotent. */
    @Override
    public void close() {
        writer.close();
        pool.close();
    }

    private static LedgerUnavailableException readFailed(SQLException e) {
        return new LedgerUnavailableException("cannot read the ledger: " + Secrets.redact(e.getMessage()), e);
    }
}
