package dev.triage.ledger.jdbc;

import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.Secrets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts the entries the ledger lost, and says so at ERROR: a lost entry is money nobody will see. */
final class Drops {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final int LOG_EVERY_NTH = 1_000;

    private static final long BATCH_LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastBatchLog = new AtomicLong(System.nanoTime() - BATCH_LOG_INTERVAL_NANOS);

    /** One entry lost for a reason that may repeat at a high rate: logs the first and every thousandth. */
    void drop(LedgerEntry entry, String reason) {
        long total = count.incrementAndGet();
        if (total == 1 || total % LOG_EVERY_NTH == 0) {
            LOG.error("Dropped the ledger entry for request {} attempt {} because {} ({} dropped so far)",
                    Secrets.redact(entry.requestId()), entry.attempt(), reason, total);
        }
    }

    /** Several entries lost at once; logged at most every five seconds while it keeps happening. */
    void drop(long entries, String reason) {
        if (entries <= 0) {
            return;
        }
        long total = count.addAndGet(entries);
        long now = System.nanoTime();
        long last = lastBatchLog.get();
        if (now - last >= BATCH_LOG_INTERVAL_NANOS && lastBatchLog.compareAndSet(last, now)) {
            LOG.error("Dropped {} ledger entries because {} ({} dropped so far)", entries, reason, total);
        }
    }

    /** Entries lost at once for a reason that does not repeat (the ledger stopping); always logged. */
    void lost(long entries, String reason) {
        if (entries > 0) {
            long total = count.addAndGet(entries);
            LOG.error("Lost {} ledger entries because {} ({} dropped so far)", entries, reason, total);
        }
    }

    /** An entry the database refused outright; always logged with the database's reason. */
    void rejected(LedgerEntry entry, String why) {
        long total = count.incrementAndGet();
        LOG.error("The ledger database rejected the entry for request {} attempt {}; dropped it ({} dropped so far): {}",
                Secrets.redact(entry.requestId()), entry.attempt(), total, why);
    }

    long count() {
        return count.get();
    }
}
