package dev.triage.ledger.jdbc;

import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.Secrets;
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
 * Moves entries from a bounded in-memory queue to the database on one background thread, in batches,
 * retrying with backoff while the database refuses them. Callers never wait for the database.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long IDLE_POLL_MS = 100;
    private static final int LOG_EVERY_NTH_DROP = 1_000;

    /** What the queue carries: entries, and markers that complete once everything before them is written. */
    private sealed interface Item permits Row, Barrier {
    }

    private record Row(LedgerEntry entry) implements Item {
    }

    private record Barrier(CompletableFuture<Void> written) implements Item {
    }

    private final AttemptTable table;
    private final LedgerOptions options;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicInteger recordsInProgress = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean closed;
    private volatile Exception lastFailure;

    BatchWriter(AttemptTable table, LedgerOptions options) {
        this.table = table;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.thread = Thread.ofPlatform().name("triage-ledger-writer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues an entry; waits at most the enqueue timeout for room, then drops and counts it. */
    void submit(LedgerEntry entry) {
        recordsInProgress.incrementAndGet();
        try {
            if (closed) {
                drop(entry, "the ledger is closed");
                return;
            }
            Row row = new Row(entry);
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
                drop(entry, "the queue stayed full for " + options.enqueueTimeout().toMillis() + " ms");
            }
        } finally {
            recordsInProgress.decrementAndGet();
        }
    }

    void flush() {
        if (closed) {
            throw new IllegalStateException("the ledger is closed");
        }
        awaitWritten(options.flushTimeout());
    }

    /** Writes what is queued (waiting at most the flush timeout), then stops the writer thread. */
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
        try {
            awaitWritten(options.flushTimeout());
        } catch (LedgerUnavailableException e) {
            LOG.error("Closing the ledger before all entries were written: {}", e.getMessage());
        }
        stopping.countDown();
        queue.offer(new Barrier(new CompletableFuture<>())); // wakes an idle writer so it sees the stop at once
        try {
            thread.join(options.flushTimeout().toMillis() + IDLE_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long droppedCount() {
        return dropped.get();
    }

    long failedWriteCount() {
        return failedWrites.get();
    }

    private void awaitWritten(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Barrier barrier = new Barrier(new CompletableFuture<>());
        try {
            if (!queue.offer(barrier, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw unavailable("the ledger queue stayed full for " + timeout.toMillis() + " ms");
            }
            barrier.written().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw unavailable("the ledger database did not accept writes within " + timeout.toMillis() + " ms ("
                    + queue.size() + " entries waiting)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting for the ledger to be written", e);
        } catch (ExecutionException e) {
            throw new LedgerUnavailableException(e.getCause().getMessage(), e.getCause());
        }
    }

    private LedgerUnavailableException unavailable(String message) {
        Exception cause = lastFailure;
        return new LedgerUnavailableException(cause == null ? message : message + "; last error: " + describe(cause),
                cause);
    }

    private void run() {
        List<LedgerEntry> rows = new ArrayList<>(options.batchSize());
        List<Barrier> barriers = new ArrayList<>();
        try {
            while (stopping.getCount() > 0) {
                Item first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                take(first, rows, barriers);
                fill(rows, barriers);
                List<LedgerEntry> unwritten = write(rows);
                rows.clear();
                if (!unwritten.isEmpty()) {
                    rows.addAll(unwritten);
                    break;
                }
                barriers.forEach(b -> b.written().complete(null));
                barriers.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandon(rows, barriers);
    }

    /** Waits up to the linger time for a full batch, but no longer once someone is waiting on a flush. */
    private void fill(List<LedgerEntry> rows, List<Barrier> barriers) throws InterruptedException {
        long deadline = System.nanoTime() + options.batchLinger().toNanos();
        while (rows.size() < options.batchSize() && barriers.isEmpty()) {
            long left = deadline - System.nanoTime();
            Item next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return;
            }
            take(next, rows, barriers);
        }
    }

    private static void take(Item item, List<LedgerEntry> rows, List<Barrier> barriers) {
        switch (item) {
            case Row row -> rows.add(row.entry());
            case Barrier barrier -> barriers.add(barrier);
        }
    }

    /** Writes the batch, retrying until it is stored; returns what is left unwritten only if the ledger is stopping. */
    private List<LedgerEntry> write(List<LedgerEntry> batch) {
        List<LedgerEntry> pending = batch;
        long backoffMs = Math.min(FIRST_BACKOFF_MS, options.maxRetryBackoff().toMillis());
        long failuresBefore = failedWrites.get();
        while (!pending.isEmpty()) {
            try {
                table.insert(pending);
                pending = List.of();
                continue;
            } catch (SQLException e) {
                if (table.dialect().rejectsRow(e)) {
                    pending = writeOneByOne(pending);
                    if (pending.isEmpty()) {
                        continue;
                    }
                } else {
                    noteFailure(e, pending.size(), backoffMs);
                }
            } catch (RuntimeException e) {
                noteFailure(e, pending.size(), backoffMs);
            }
            try {
                if (stopping.await(backoffMs, TimeUnit.MILLISECONDS)) {
                    return pending;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return pending;
            }
            backoffMs = Math.min(backoffMs * 2, Math.max(1, options.maxRetryBackoff().toMillis()));
        }
        long failures = failedWrites.get() - failuresBefore;
        if (failures > 0) {
            LOG.info("Ledger writes recovered after {} failed attempts", failures);
        }
        return List.of();
    }

    /** Isolates rows the database refuses outright so they cannot hold back the rest. */
    private List<LedgerEntry> writeOneByOne(List<LedgerEntry> rows) {
        for (int i = 0; i < rows.size(); i++) {
            LedgerEntry row = rows.get(i);
            try {
                table.insert(List.of(row));
            } catch (SQLException e) {
                if (!table.dialect().rejectsRow(e)) {
                    noteFailure(e, rows.size() - i, FIRST_BACKOFF_MS);
                    return List.copyOf(rows.subList(i, rows.size()));
                }
                long total = dropped.incrementAndGet();
                LOG.error("The ledger database rejected the entry for request {} attempt {}; dropped it ({} dropped so far): {}",
                        Secrets.redact(row.requestId()), row.attempt(), total, describe(e));
            } catch (RuntimeException e) {
                noteFailure(e, rows.size() - i, FIRST_BACKOFF_MS);
                return List.copyOf(rows.subList(i, rows.size()));
            }
        }
        return List.of();
    }

    private void noteFailure(Exception e, int rows, long retryInMs) {
        failedWrites.incrementAndGet();
        lastFailure = e;
        LOG.warn("Could not write {} ledger entries, retrying in {} ms: {}", rows, retryInMs, describe(e));
    }

    private void drop(LedgerEntry entry, String reason) {
        long total = dropped.incrementAndGet();
        if (total == 1 || total % LOG_EVERY_NTH_DROP == 0) {
            LOG.error("Dropped the ledger entry for request {} attempt {} because {} ({} dropped so far)",
                    Secrets.redact(entry.requestId()), entry.attempt(), reason, total);
        }
    }

    private void abandon(List<LedgerEntry> rows, List<Barrier> barriers) {
        List<Item> left = new ArrayList<>();
        queue.drainTo(left);
        long lost = rows.size();
        for (Item item : left) {
            switch (item) {
                case Row ignored -> lost++;
                case Barrier barrier -> barriers.add(barrier);
            }
        }
        LedgerUnavailableException gone = unavailable("the ledger closed before the entries were written");
        barriers.forEach(b -> b.written().completeExceptionally(gone));
        if (lost > 0) {
            long total = dropped.addAndGet(lost);
            LOG.error("The ledger stopped with {} entries unwritten ({} dropped in total)", lost, total);
        }
    }

    /** One line about a failure: driver messages carry no credentials, and pass through Secrets.redact anyway. */
    private static String describe(Exception e) {
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
}
