package dev.triage.ledger.jdbc;

import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerRecord;
import dev.triage.ledger.LedgerUnavailableException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves entries from a bounded in-memory queue onward on one background thread, in batches. Callers
 * never wait for the database.
 *
 * <p>With a spool, each batch is appended to it and fsynced at once, and the {@link SpoolDrainer} takes
 * it to the database from there; this thread never talks to the database unless the spool itself fails.
 * Without one, batches go straight to the database and are retried with backoff while it refuses them.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long IDLE_POLL_MS = 100;
    /** On close, how long a database that keeps failing is given before the rest is left in the spool. */
    private static final Duration GIVE_UP_ON_FAILING_DATABASE = Duration.ofSeconds(1);

    /** What the queue carries: entries, and markers that complete once everything before them is stored. */
    private sealed interface Item permits Row, Barrier {
    }

    private record Row(LedgerRecord record) implements Item {
    }

    /**
     * Completes once everything queued before it is in the database, or, if {@code durableIsEnough},
     * once it is at least durable in the spool.
     */
    private record Barrier(CompletableFuture<Void> done, boolean durableIsEnough) implements Item {
    }

    private final AttemptTable table;
    private final DeadLetters deadLetters;
    private final LedgerOptions options;
    private final Drops drops;
    private final Spool spool;
    private final SpoolDrainer drainer;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicInteger recordsInProgress = new AtomicInteger();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean closed;
    private volatile Exception lastFailure;

    /**
     * @param spool   where batches go first, or null to write them straight to the database
     * @param drainer what moves the spool to the database; null exactly when {@code spool} is
     * @param onDeath told if the writer thread dies of anything uncaught (see {@link LedgerThreadDeath})
     */
    BatchWriter(AttemptTable table, DeadLetters deadLetters, LedgerOptions options, Drops drops, Spool spool,
                SpoolDrainer drainer, LedgerThreadDeath onDeath) {
        if ((spool == null) != (drainer == null)) {
            throw new IllegalArgumentException("a spool needs its drainer");
        }
        this.table = table;
        this.deadLetters = deadLetters;
        this.options = options;
        this.drops = drops;
        this.spool = spool;
        this.drainer = drainer;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.thread = Thread.ofPlatform().name("triage-ledger-writer").daemon(true)
                .unstarted(CriticalThread.reportingDeath(this::run, onDeath));
    }

    void start() {
        thread.start();
    }

    /**
     * Queues an entry; waits at most the enqueue timeout for room, then drops and counts it. A captured
     * text never waits, and is dropped rather than fill more than half the queue: entries come first.
     */
    void submit(LedgerRecord record) {
        recordsInProgress.incrementAndGet();
        try {
            if (closed) {
                drops.drop(record, "the ledger is closed");
                return;
            }
            Row row = new Row(record);
            if (record instanceof CapturedText) {
                if (queue.remainingCapacity() <= options.queueCapacity() / 2 || !queue.offer(row)) {
                    drops.drop(record, "the ledger queue is more than half full");
                }
                return;
            }
            if (queue.offer(row)) {
                return;
            }
            boolean queued;
            try {
                queued = queue.offer(row, options.enqueueTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                queued = false;
            }
            if (!queued) {
                drops.drop(record, "the queue stayed full for " + options.enqueueTimeout().toMillis() + " ms");
            }
        } finally {
            recordsInProgress.decrementAndGet();
        }
    }

    void flush() {
        if (closed) {
            throw new IllegalStateException("the ledger is closed");
        }
        await(new Barrier(new CompletableFuture<>(), false), options.flushTimeout());
    }

    /**
     * Stores what is queued, then stops the writer thread. Without a spool it waits at most the flush
     * timeout for the database. With one, everything is first made durable in the spool, then the
     * database gets up to the flush timeout (less if it keeps failing) to take it; the rest stays spooled
     * for the next start.
     */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // A record() that saw the ledger open finishes queueing before the final flush is queued behind it.
        while (recordsInProgress.get() > 0) {
            LockSupport.parkNanos(100_000);
        }
        if (spool == null) {
            try {
                await(new Barrier(new CompletableFuture<>(), false), options.flushTimeout());
            } catch (LedgerUnavailableException e) {
                LOG.error("Closing the ledger before all entries were written: {}", e.getMessage());
            }
        } else {
            closeSpooled();
        }
        stopping.countDown();
        queue.offer(new Barrier(new CompletableFuture<>(), true)); // wakes an idle writer so it sees the stop at once
        try {
            thread.join(options.flushTimeout().toMillis() + IDLE_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drainer != null) {
            // The drain wait above is over: the drainer is idle, or stuck on a database whose rows stay spooled anyway.
            drainer.stop(GIVE_UP_ON_FAILING_DATABASE);
        }
    }

    private void closeSpooled() {
        try {
            await(new Barrier(new CompletableFuture<>(), true), options.flushTimeout());
        } catch (LedgerUnavailableException e) {
            LOG.error("Closing the ledger before all entries reached the spool: {}", e.getMessage());
            return;
        }
        Barrier written = new Barrier(new CompletableFuture<>(), false);
        long deadline = System.nanoTime() + options.flushTimeout().toNanos();
        if (!queue.offer(written)) {
            return;
        }
        while (!written.done().isDone() && System.nanoTime() < deadline
                && drainer.failingFor().compareTo(GIVE_UP_ON_FAILING_DATABASE) < 0) {
            try {
                written.done().get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // keep waiting until the deadline, or until the database has been failing for a while
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long pending = spool.pendingBytes();
        if (pending > 0) {
            Exception cause = drainer.lastFailure();
            LOG.warn("Closing the ledger with {} bytes of entries still in the spool {}; they are safe on disk and "
                    + "will be written to the database when a ledger next opens this spool{}", pending,
                    spool.directory(), cause == null ? "" : " (last database error: " + AttemptTable.describe(cause) + ")");
        }
    }

    long failedWriteCount() {
        return failedWrites.get() + (drainer == null ? 0 : drainer.failedWriteCount());
    }

    private void await(Barrier barrier, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!queue.offer(barrier, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw unavailable("the ledger queue stayed full for " + timeout.toMillis() + " ms");
            }
            barrier.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String waiting = spool == null ? queue.size() + " entries waiting"
                    : spool.pendingBytes() + " bytes waiting in the spool " + spool.directory();
            throw unavailable("the ledger database did not accept writes within " + timeout.toMillis() + " ms ("
                    + waiting + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger to be written", e);
        } catch (ExecutionException e) {
            throw new LedgerUnavailableException(e.getCause().getMessage(), e.getCause());
        }
    }

    private LedgerUnavailableException unavailable(String message) {
        Exception cause = drainer != null && drainer.lastFailure() != null ? drainer.lastFailure() : lastFailure;
        return new LedgerUnavailableException(
                cause == null ? message : message + "; last error: " + AttemptTable.describe(cause), cause);
    }

    private void run() {
        List<LedgerRecord> rows = new ArrayList<>(options.batchSize());
        List<Barrier> barriers = new ArrayList<>();
        try {
            while (stopping.getCount() > 0) {
                Item first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                take(first, rows, barriers);
                fill(rows, barriers);
                List<LedgerRecord> unwritten = spool == null ? write(rows) : spoolOrWrite(rows);
                rows.clear();
                if (!unwritten.isEmpty()) {
                    rows.addAll(unwritten);
                    break;
                }
                settle(barriers);
                barriers.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandon(rows, barriers);
    }

    /**
     * Waits up to the linger time for a full batch, but no longer once someone is waiting on a flush.
     * With a spool the linger is the short spool linger: the batch is what queued up during it and during
     * the last fsync (group commit), so an entry is durable within the linger and about two fsyncs; the
     * drainer lingers for the database instead.
     */
    private void fill(List<LedgerRecord> rows, List<Barrier> barriers) throws InterruptedException {
        long linger = (spool == null ? options.batchLinger() : options.spoolLinger()).toNanos();
        long deadline = System.nanoTime() + linger;
        while (rows.size() < options.batchSize() && barriers.isEmpty()) {
            long left = deadline - System.nanoTime();
            Item next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return;
            }
            take(next, rows, barriers);
        }
    }

    private static void take(Item item, List<LedgerRecord> rows, List<Barrier> barriers) {
        switch (item) {
            case Row row -> rows.add(row.record());
            case Barrier barrier -> barriers.add(barrier);
        }
    }

    /** Everything before these barriers has been spooled or written: complete them, or hand them to the drainer. */
    private void settle(List<Barrier> barriers) {
        for (Barrier b : barriers) {
            if (spool == null || b.durableIsEnough()) {
                b.done().complete(null);
            } else {
                drainer.whenDrained(spool.end(), b.done());
            }
        }
    }

    /** Appends the batch to the spool; if the spool cannot take it (disk full, I/O error), writes it to the database. */
    private List<LedgerRecord> spoolOrWrite(List<LedgerRecord> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        try {
            spool.append(batch);
            drainer.wake();
            return List.of();
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not write {} ledger entries to the spool {}; writing them straight to the database instead: {}",
                    batch.size(), spool.directory(), e.toString());
            return write(batch);
        }
    }

    /** Writes the batch, retrying until it is stored; returns what is left unwritten only if the ledger is stopping. */
    private List<LedgerRecord> write(List<LedgerRecord> batch) {
        long backoffMs = Math.min(FIRST_BACKOFF_MS, options.maxRetryBackoff().toMillis());
        long failuresBefore = failedWrites.get();
        while (!batch.isEmpty()) {
            try {
                // Rows refused for their own data are set aside; only a failure of the database itself is retried.
                deadLetters.setAside(table.insertIsolatingRefused(batch));
                break;
            } catch (SQLException | RuntimeException e) {
                failedWrites.incrementAndGet();
                lastFailure = e;
                LOG.warn("Could not write {} ledger entries, retrying in {} ms: {}", batch.size(), backoffMs,
                        AttemptTable.describe(e));
            }
            try {
                if (stopping.await(backoffMs, TimeUnit.MILLISECONDS)) {
                    return batch;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return batch;
            }
            backoffMs = Math.min(backoffMs * 2, Math.max(1, options.maxRetryBackoff().toMillis()));
        }
        long failures = failedWrites.get() - failuresBefore;
        if (failures > 0) {
            LOG.info("Ledger writes recovered after {} failed attempts", failures);
        }
        return List.of();
    }

    private void abandon(List<LedgerRecord> rows, List<Barrier> barriers) {
        List<Item> left = new ArrayList<>();
        queue.drainTo(left);
        List<LedgerRecord> lost = new ArrayList<>(rows);
        for (Item item : left) {
            switch (item) {
                case Row row -> lost.add(row.record());
                case Barrier barrier -> barriers.add(barrier);
            }
        }
        LedgerUnavailableException gone = unavailable("the ledger closed before the entries were written");
        barriers.forEach(b -> b.done().completeExceptionally(gone));
        long texts = lost.stream().filter(r -> r instanceof CapturedText).count();
        drops.lost(lost.size() - texts, texts, "the ledger stopped before they were written");
    }
}
