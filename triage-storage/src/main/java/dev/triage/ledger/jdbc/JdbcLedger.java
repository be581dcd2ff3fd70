package dev.triage.ledger.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.triage.chat.Money;
import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.Ledger;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerHealth;
import dev.triage.ledger.LedgerState;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.provider.Secrets;
import dev.triage.report.ReportPeriod;
import dev.triage.report.RequestLog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on SQLite or PostgreSQL.
 *
 * <p>{@link #record} only queues: a background thread writes batches in single transactions, skipping
 * any (request id, attempt) already stored, and retries with backoff while the database is down. When
 * the queue is full, {@code record} waits up to {@link LedgerOptions#enqueueTimeout()} for room, then
 * drops the entry, logs an error and counts it in {@link #droppedCount()}; entries recorded after
 * {@link #close()} are dropped and counted the same way. Times are stored to the millisecond.
 *
 * <p>With a spool ({@link LedgerOptions#withSpool}), every batch is first appended to a file and
 * fsynced, then written to the database from there by a second thread; an entry is durable once its
 * batch is spooled, whether or not the database is up. Rows the spool has no room for are dropped and
 * counted. A spool left by an earlier run is written to the database by {@link #open}, before anything
 * new, and whatever {@link #close()} could not write stays in the spool for the next run.
 *
 * <p>Captured texts ({@link #recordText}) take the same path, in the same transactions, but give way to
 * entries: one is dropped (and counted in {@link #droppedTextCount()}) rather than wait for room, fill
 * more than half the queue, or fill more than half the spool.
 *
 * <p>Every text is made storable before it is queued ({@code Storable}: NUL and broken surrogates
 * replaced, long values cut to a bound with a hash). A row the database still refuses for its own data
 * (a constraint, a value out of range, an index limit) is isolated from its batch by halving it, and set
 * aside as a dead letter in {@code ledger_dead_letters} (or, if the database refuses that too, in
 * {@code dead-letters.jsonl} in the spool directory): the rows behind it are written, and the money
 * stays visible ({@link #deadLetterCost()}, the reports). A failure of the database itself is retried.
 *
 * <p>The writer and drainer threads must not die quietly: whatever kills one is handed to the
 * {@link LedgerThreadDeath} given to {@link #open(String, LedgerOptions, LedgerThreadDeath)}.
 */
public final class JdbcLedger implements Ledger, LedgerHealth {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    /** How often {@link #state()} may look at the database; /readyz is unauthenticated and may be polled hard. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    private static final int PROBE_TIMEOUT_SECONDS = 2;

    /**
     * For tools that open the ledger for a moment ({@code triage report}, {@code triage train}): logs the
     * death at ERROR; flushes fail from then on. A gateway passes a handler that ends the process.
     */
    private static final LedgerThreadDeath LOG_DEATH = (thread, cause) -> LOG.error(
            "FATAL: ledger {} died: {}; nothing more reaches the ledger database from this process", thread, cause.toString(), cause);

    private final HikariDataSource pool;
    private final AttemptTable table;
    private final Drops drops;
    private final DeadLetters deadLetters;
    private final Spool spool;
    private final BatchWriter writer;
    private final JdbcReports reports;
    private final JdbcRequestLog requestLog;
    private final JdbcKeyStore keys;
    private final JdbcResponseStore responses;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long probedAtNanos = System.nanoTime() - PROBE_EVERY.toNanos();
    private volatile boolean databaseUp = true;

    private JdbcLedger(HikariDataSource pool, AttemptTable table, Drops drops, DeadLetters deadLetters, Spool spool,
                       BatchWriter writer) {
        this.pool = pool;
        this.table = table;
        this.drops = drops;
        this.deadLetters = deadLetters;
        this.spool = spool;
        this.writer = writer;
        this.reports = new JdbcReports(pool, table.dialect(), this::flush);
        this.requestLog = new JdbcRequestLog(pool, table.dialect(), this::flush);
        this.keys = new JdbcKeyStore(pool, table.dialect());
        this.responses = new JdbcResponseStore(pool, table.dialect());
    }

    /**
     * The SQLite file a ledger URL names ({@code sqlite:PATH}, {@code jdbc:sqlite:PATH}), whether or not it exists yet;
     * empty for PostgreSQL and SQLite URI filenames. {@link #open} creates a missing file: a reader that must not
     * (a report) looks first.
     *
     * @throws IllegalArgumentException if the URL is not a ledger URL
     */
    public static Optional<Path> sqliteFile(String url) {
        return LedgerUrl.parse(url).sqliteFile();
    }

    /** As {@link #open(String, LedgerOptions, LedgerThreadDeath)}, logging a thread's death and no more. */
    public static JdbcLedger open(String url, LedgerOptions options) {
        return open(url, options, LOG_DEATH);
    }

    /**
     * Connects, applies pending migrations and starts the writer.
     *
     * @param url     {@code sqlite:PATH} (parent directories are created), {@code jdbc:sqlite:PATH} or
     *                {@code jdbc:postgresql://HOST[:PORT]/DB[?...]}
     * @param onDeath what to do if the writer or the spool drainer thread dies (a gateway exits)
     * @throws LedgerUnavailableException if the database cannot be reached or migrated, or the spool
     *                                    cannot be opened (another ledger holds it, or it is not writable)
     */
    public static JdbcLedger open(String url, LedgerOptions options, LedgerThreadDeath onDeath) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(onDeath, "onDeath");
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
        AttemptTable table = new AttemptTable(pool, location.dialect());
        Drops drops = new Drops();
        Spool spool = null;
        SpoolDrainer drainer = null;
        DeadLetters deadLetters = new DeadLetters(pool, location.dialect(),
                options.spoolDir() == null ? null : options.spoolDir().resolve(DeadLetters.FILE_NAME), drops);
        if (options.spoolDir() != null) {
            try {
                spool = Spool.open(options.spoolDir(), options.spoolMaxBytes(), drops);
            } catch (IOException e) {
                pool.close();
                throw new LedgerUnavailableException("cannot open the ledger spool: " + e.getMessage(), e);
            }
            drainer = new SpoolDrainer(spool, table, deadLetters, options, onDeath);
            drainLeftovers(spool, drainer);
            drainer.start();
        }
        BatchWriter writer = new BatchWriter(table, deadLetters, options, drops, spool, drainer, onDeath);
        writer.start();
        return new JdbcLedger(pool, table, drops, deadLetters, spool, writer);
    }

    /** Entries an earlier run spooled but never wrote (a crash, a kill, a database that stayed down) go first. */
    private static void drainLeftovers(Spool spool, SpoolDrainer drainer) {
        long leftover = spool.pendingBytes();
        if (leftover == 0) {
            return;
        }
        LOG.info("The ledger spool {} holds {} bytes of entries from an earlier run; writing them to the database first",
                spool.directory(), leftover);
        if (drainer.drainNow()) {
            LOG.info("Wrote the earlier run's spooled entries to the database");
        } else {
            LOG.warn("The database refused the earlier run's spooled entries; {} bytes stay spooled and will be retried",
                    spool.pendingBytes());
        }
    }

    /**
     * Queues the entry, its texts made storable; never waits for the database (see the class comment for
     * a full queue).
     */
    @Override
    public void record(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(entry.requestId(), "requestId");
        Objects.requireNonNull(entry.route(), "route");
        Objects.requireNonNull(entry.model(), "model");
        Objects.requireNonNull(entry.provider(), "provider");
        Objects.requireNonNull(entry.usage(), "usage");
        Objects.requireNonNull(entry.cost(), "cost");
        Objects.requireNonNull(entry.cacheSaving(), "cacheSaving");
        Objects.requireNonNull(entry.status(), "status");
        Objects.requireNonNull(entry.time(), "time");
        writer.submit(Storable.entry(entry));
    }

    /** Queues the text of an answered request; never waits (see the class comment for when it is dropped). */
    @Override
    public void recordText(CapturedText text) {
        Objects.requireNonNull(text, "text");
        writer.submit(Storable.text(text));
    }

    /** Queues a response-cache lookup like an entry (it waits for room the same way); never waits for the database. */
    @Override
    public void recordCache(CacheLookup lookup) {
        Objects.requireNonNull(lookup, "lookup");
        writer.submit(Storable.cache(lookup));
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

    /** The captured text of a request, if there is one (flushes first). */
    public Optional<CapturedText> findText(String requestId) {
        flush();
        try {
            return table.texts().byRequest(requestId);
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /** How many captured texts are stored (flushes first). */
    public long textCount() {
        flush();
        try {
            return table.texts().count();
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * The requests rated whose first attempt started in {@code period}, with the captured text of each
     * one that has it: the training set of {@code triage train --from-ledger} (flushes first).
     */
    public FeedbackTexts feedbackTexts(ReportPeriod period) {
        flush();
        try {
            return table.texts().withFeedback(period.from(), period.to());
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>What the last look at the database found: at most once a second, a connection from the pool is
     * checked on a thread of its own (a database that hangs takes the pool's 5 s connection timeout to be
     * found down), so the answer may be up to one look old. The change of state is logged, once.
     */
    @Override
    public LedgerState state() {
        long now = System.nanoTime();
        if (now - probedAtNanos >= PROBE_EVERY.toNanos() && probing.compareAndSet(false, true)) {
            probedAtNanos = now;
            Thread.ofVirtual().name("triage-ledger-probe").start(this::probe);
        }
        if (databaseUp) {
            return LedgerState.UP;
        }
        return spool != null ? LedgerState.SPOOLING : LedgerState.DOWN;
    }

    private void probe() {
        if (pool.isClosed()) {
            probing.set(false);
            return;
        }
        try (Connection c = pool.getConnection()) {
            if (!c.isValid(PROBE_TIMEOUT_SECONDS)) {
                throw new SQLException("the connection did not answer within " + PROBE_TIMEOUT_SECONDS + " s");
            }
            if (!databaseUp) {
                databaseUp = true;
                LOG.info("The ledger database is reachable again");
            }
        } catch (SQLException | RuntimeException e) {
            if (databaseUp) {
                databaseUp = false;
                LOG.warn("The ledger database is unreachable ({}); {}", Secrets.redact(e.getMessage()), spool != null
                        ? "entries are kept in the spool " + spool.directory() + " until it is back"
                        : "entries wait in memory (no spool) and are dropped if the queue fills");
            }
        } finally {
            probedAtNanos = System.nanoTime();
            probing.set(false);
        }
    }

    /** Reports and feedback over this ledger's database (reads flush the queue first). */
    public JdbcReports reports() {
        return reports;
    }

    /** The request log over this ledger's database (reads flush the queue first). */
    public RequestLog requestLog() {
        return requestLog;
    }

    /** The virtual keys kept in this ledger's database (not queued: every call reads or writes at once). */
    public JdbcKeyStore keys() {
        return keys;
    }

    /** The {@code /v1/responses} answers kept in this ledger's database (not queued: every call reads or writes at once). */
    public JdbcResponseStore responses() {
        return responses;
    }

    /**
     * Up to {@code limit} dead letters from {@code ledger_dead_letters}, oldest first (flushes first);
     * those only in the spool directory's {@code dead-letters.jsonl} are not among them.
     */
    public List<DeadLetter> deadLetters(int limit) {
        flush();
        try {
            return deadLetters.list(limit);
        } catch (SQLException e) {
            throw readFailed(e);
        }
    }

    /**
     * Entries lost because the queue or the spool was full, the ledger was closed, their spool line could
     * not be read back, or the database refused them and no dead-letter store would take them either.
     */
    public long droppedCount() {
        return drops.count();
    }

    /** Captured texts lost: given way to entries (queue or spool short of room), the ledger closed, or refused everywhere. */
    public long droppedTextCount() {
        return drops.texts();
    }

    @Override
    public long droppedEntries() {
        return droppedCount();
    }

    @Override
    public long droppedTexts() {
        return droppedTextCount();
    }

    /** Entries this ledger set aside as dead letters since it opened (table or file). */
    @Override
    public long deadLetterEntries() {
        return deadLetters.entries();
    }

    @Override
    public long deadLetterTexts() {
        return deadLetters.texts();
    }

    /** What the entries this ledger set aside since it opened cost (saturating at the limits of a long). */
    @Override
    public Money deadLetterCost() {
        return deadLetters.cost();
    }

    /** Bytes of entries waiting in the spool for the database; 0 without a spool. */
    @Override
    public long spooledBytes() {
        return spool == null ? 0 : spool.pendingBytes();
    }

    /** Write attempts the database refused (each is retried); a rising number means the database is down. */
    public long failedWriteCount() {
        return writer.failedWriteCount();
    }

    /**
     * Writes what is queued (waiting at most the flush timeout for the database; with a spool, what the
     * database does not take in that time stays spooled), stops the threads and closes the pool; idempotent.
     */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            if (spool != null) {
                spool.close();
            }
            pool.close();
        }
    }

    private static LedgerUnavailableException readFailed(SQLException e) {
        return new LedgerUnavailableException("cannot read the ledger: " + Secrets.redact(e.getMessage()), e);
    }
}
