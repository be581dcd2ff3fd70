package dev.triage.ledger.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link JdbcLedger} connects and buffers. Start from {@link #defaults()} and change what you need.
 *
 * @param user            database user, or null to use the one in the URL (if any)
 * @param password        database password, or null; never printed by {@link #toString()}
 * @param queueCapacity   entries held in memory while the writer catches up
 * @param batchSize       most rows written in one transaction
 * @param batchLinger     how long the writer waits for a batch to fill before writing what it has
 * @param enqueueTimeout  how long {@code record} waits for room in a full queue before dropping the entry
 * @param flushTimeout    how long {@code flush} (and {@code close}) waits for the database
 * @param maxRetryBackoff the longest pause between attempts to write a batch the database refused
 * @param spoolDir        directory of the durable spool every batch passes through on its way to the
 *                        database, or null for no spool (entries then wait for the database in memory only)
 * @param spoolMaxBytes   most bytes the spool may hold; entries that do not fit are dropped and counted
 * @param spoolLinger     with a spool, how long the writer waits for more entries before appending and
 *                        fsyncing what it has: each fsync costs the gateway about as much CPU as a request's
 *                        whole proxying, so a few milliseconds of waiting make it one fsync for many entries
 */
public record LedgerOptions(String user, String password, int queueCapacity, int batchSize, Duration batchLinger,
                            Duration enqueueTimeout, Duration flushTimeout, Duration maxRetryBackoff,
                            Path spoolDir, long spoolMaxBytes, Duration spoolLinger) {

    /** 256 MiB: about half a million entries, hours of an outage for most teams. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
    /** 2 ms: at 1,000 requests a second, one fsync for about three entries instead of one each. */
    public static final Duration DEFAULT_SPOOL_LINGER = Duration.ofMillis(2);

    public LedgerOptions {
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("queueCapacity and batchSize must be positive");
        }
        if (spoolMaxBytes < 1) {
            throw new IllegalArgumentException("spoolMaxBytes must be positive");
        }
        for (Duration d : new Duration[] {batchLinger, enqueueTimeout, flushTimeout, maxRetryBackoff, spoolLinger}) {
            if (Objects.requireNonNull(d, "durations are required").isNegative()) {
                throw new IllegalArgumentException("durations cannot be negative");
            }
        }
    }

    /**
     * 100,000 queued entries, batches of 500 or every 50 ms, 1 s enqueue wait, 10 s flush wait, 5 s max
     * backoff, no spool (a spool needs a directory: {@link #withSpool}), 2 ms spool linger.
     */
    public static LedgerOptions defaults() {
        return new LedgerOptions(null, null, 100_000, 500, Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(5), null, DEFAULT_SPOOL_MAX_BYTES, DEFAULT_SPOOL_LINGER);
    }

    public LedgerOptions withCredentials(String user, String password) {
        return edit(o -> {
            o.user = user;
            o.password = password;
        });
    }

    public LedgerOptions withQueueCapacity(int queueCapacity) {
        return edit(o -> o.queueCapacity = queueCapacity);
    }

    public LedgerOptions withBatching(int batchSize, Duration batchLinger) {
        return edit(o -> {
            o.batchSize = batchSize;
            o.batchLinger = batchLinger;
        });
    }

    public LedgerOptions withEnqueueTimeout(Duration enqueueTimeout) {
        return edit(o -> o.enqueueTimeout = enqueueTimeout);
    }

    public LedgerOptions withFlushTimeout(Duration flushTimeout) {
        return edit(o -> o.flushTimeout = flushTimeout);
    }

    public LedgerOptions withMaxRetryBackoff(Duration maxRetryBackoff) {
        return edit(o -> o.maxRetryBackoff = maxRetryBackoff);
    }

    /** Passes every batch through a durable spool in {@code dir} holding at most {@code maxBytes}; null turns it off. */
    public LedgerOptions withSpool(Path dir, long maxBytes) {
        return edit(o -> {
            o.spoolDir = dir;
            o.spoolMaxBytes = maxBytes;
        });
    }

    /** How long the writer waits for more entries before each append to the spool ({@code spoolLinger}). */
    public LedgerOptions withSpoolLinger(Duration linger) {
        return edit(o -> o.spoolLinger = linger);
    }

    /** A copy with {@code change} applied to its fields, validated again by the canonical constructor. */
    private LedgerOptions edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new LedgerOptions(d.user, d.password, d.queueCapacity, d.batchSize, d.batchLinger, d.enqueueTimeout,
                d.flushTimeout, d.maxRetryBackoff, d.spoolDir, d.spoolMaxBytes, d.spoolLinger);
    }

    /** The fields of an options value being changed by one {@code with...} call. */
    private static final class Draft {
        String user;
        String password;
        int queueCapacity;
        int batchSize;
        Duration batchLinger;
        Duration enqueueTimeout;
        Duration flushTimeout;
        Duration maxRetryBackoff;
        Path spoolDir;
        long spoolMaxBytes;
        Duration spoolLinger;

        Draft(LedgerOptions o) {
            user = o.user;
            password = o.password;
            queueCapacity = o.queueCapacity;
            batchSize = o.batchSize;
            batchLinger = o.batchLinger;
            enqueueTimeout = o.enqueueTimeout;
            flushTimeout = o.flushTimeout;
            maxRetryBackoff = o.maxRetryBackoff;
            spoolDir = o.spoolDir;
            spoolMaxBytes = o.spoolMaxBytes;
            spoolLinger = o.spoolLinger;
        }
    }

    @Override
    public String toString() {
        return "LedgerOptions[user=" + user + ", password=" + (password == null ? "null" : "[redacted]")
                + ", queueCapacity=" + queueCapacity + ", batchSize=" + batchSize + ", batchLinger=" + batchLinger
                + ", enqueueTimeout=" + enqueueTimeout + ", flushTimeout=" + flushTimeout
                + ", maxRetryBackoff=" + maxRetryBackoff + ", spoolDir=" + spoolDir + ", spoolMaxBytes=" + spoolMaxBytes
                + ", spoolLinger=" + spoolLinger + "]";
    }
}
