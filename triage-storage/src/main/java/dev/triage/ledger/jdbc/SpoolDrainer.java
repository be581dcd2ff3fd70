package dev.triage.ledger.jdbc;

import dev.triage.ledger.LedgerUnavailableException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves entries from the spool to the database on a thread of its own, oldest first, one transaction
 * per chunk, and backs off while the database is unavailable. Because it never holds the only copy of
 * a row, a database that hangs or refuses connections delays the ledger but loses nothing. A row the
 * database refuses for its own data becomes a dead letter ({@link DeadLetters}) and the chunk goes on.
 */
final class SpoolDrainer {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long IDLE_WAIT_NANOS = 100_000_000L;

    /** What one round of draining did. */
    enum Step { WROTE, IDLE, FAILED }

    private record Waiter(Spool.Position position, CompletableFuture<Void> done) {
    }

    private final Spool spool;
    private final AttemptTable table;
    private final DeadLetters deadLetters;
    private final LedgerOptions options;
    private final Thread thread;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean stopping;
    private volatile long failingSinceNanos; // 0 while the last write succeeded
    private volatile Exception lastFailure;
    private long failuresInARow;
    private long backoffMs;
    private int lastChunkRows;

    /** @param onDeath told if the drainer thread dies of anything uncaught (see {@link LedgerThreadDeath}) */
    SpoolDrainer(Spool spool, AttemptTable table, DeadLetters deadLetters, LedgerOptions options, LedgerThreadDeath onDeath) {
        this.spool = spool;
        this.table = table;
        this.deadLetters = deadLetters;
        this.options = options;
        this.thread = Thread.ofPlatform().name("triage-ledger-spool-drainer").daemon(true)
                .unstarted(CriticalThread.reportingDeath(this::run, onDeath));
    }

    void start() {
        thread.start();
    }

    /**
     * Drains on the calling thread until the spool is empty or the database fails; used before the
     * thread starts, for what an earlier run left behind.
     *
     * @return whether the spool was emptied
     */
    boolean drainNow() {
        while (true) {
            switch (drainOnce()) {
                case WROTE -> {
                }
                case IDLE -> {
                    return true;
                }
                case FAILED -> {
                    return false;
                }
            }
        }
    }

    /** Completes {@code done} once everything up to {@code position} is committed. */
    void whenDrained(Spool.Position position, CompletableFuture<Void> done) {
        waiters.add(new Waiter(position, done));
        completeWaiters();
        wake();
    }

    /** Tells the drainer there is something new to read. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** How long the database has been refusing writes without a success in between; zero if it is not. */
    Duration failingFor() {
        long since = failingSinceNanos;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    Exception lastFailure() {
        return lastFailure;
    }

    long failedWriteCount() {
        return failedWrites.get();
    }

    /** Stops after the write in progress (waiting at most {@code timeout}); waiters left over fail. */
    void stop(Duration timeout) {
        stopping = true;
        LockSupport.unpark(thread);
        if (thread.isAlive()) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        completeWaiters();
        LedgerUnavailableException closed = new LedgerUnavailableException(
                "the ledger closed before the entries reached the database; they stay in the spool " + spool.directory(), lastFailure);
        for (Waiter w; (w = waiters.poll()) != null; ) {
            w.done().completeExceptionally(closed);
        }
    }

    private void run() {
        while (!stopping) {
            switch (drainOnce()) {
                // A short chunk means the spool is nearly caught up: let rows gather into a bigger transaction,
                // unless someone is waiting for them. Durability does not wait on this; the spool has them.
                case WROTE -> {
                    if (lastChunkRows < options.batchSize() && waiters.isEmpty()) {
                        pause(options.batchLinger().toMillis(), true);
                    }
                }
                case IDLE -> LockSupport.parkNanos(this, IDLE_WAIT_NANOS);
                case FAILED -> pause(backoffMs, false);
            }
        }
    }

    Step drainOnce() {
        Spool.Chunk chunk;
        try {
            chunk = spool.read(options.batchSize());
        } catch (IOException e) {
            noteFailure(e, "read entries from the spool");
            return Step.FAILED;
        }
        if (chunk == null) {
            completeWaiters();
            return Step.IDLE;
        }
        if (!chunk.rows().isEmpty()) {
            try {
                // Rows the database refuses for their own data are set aside; a failure of the database itself
                // (down, locked, connection lost) throws and the chunk is read again after a backoff.
                deadLetters.setAside(table.insertIsolatingRefused(chunk.rows()));
            } catch (SQLException | RuntimeException e) {
                noteFailure(e, "write " + chunk.rows().size() + " spooled ledger entries");
                return Step.FAILED;
            }
        }
        spool.consumed(chunk);
        lastChunkRows = chunk.rows().size();
        if (failuresInARow > 0) {
            LOG.info("Ledger writes recovered after {} failed attempts; {} bytes still spooled in {}", failuresInARow,
                    spool.pendingBytes(), spool.directory());
        }
        failuresInARow = 0;
        failingSinceNanos = 0;
        backoffMs = 0;
        completeWaiters();
        return Step.WROTE;
    }

    private void noteFailure(Exception e, String what) {
        failedWrites.incrementAndGet();
        lastFailure = e;
        if (failuresInARow++ == 0) {
            failingSinceNanos = System.nanoTime();
        }
        backoffMs = backoffMs == 0 ? Math.min(FIRST_BACKOFF_MS, options.maxRetryBackoff().toMillis())
                : Math.min(backoffMs * 2, Math.max(1, options.maxRetryBackoff().toMillis()));
        LOG.warn("Could not {}, retrying in {} ms ({} bytes waiting in the spool {}): {}", what, backoffMs,
                spool.pendingBytes(), spool.directory(), AttemptTable.describe(e));
    }

    // A new append does not cut a pause short (that would retry a dead database once per batch); a flush does.
    private void pause(long millis, boolean untilSomeoneWaits) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left; !stopping && (left = deadline - System.nanoTime()) > 0
                && !(untilSomeoneWaits && !waiters.isEmpty()); ) {
            LockSupport.parkNanos(this, left);
        }
    }

    private void completeWaiters() {
        for (Waiter w : waiters) {
            if (spool.drained(w.position())) {
                waiters.remove(w);
                w.done().complete(null);
            }
        }
    }
}
