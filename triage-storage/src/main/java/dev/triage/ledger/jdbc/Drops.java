package dev.triage.ledger.jdbc;

import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import dev.triage.provider.Secrets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the entries the ledger lost, and says so at ERROR: a lost entry is money nobody will see.
 * Rows the database refuses are not lost but set aside ({@link DeadLetters}); they count here only if
 * no dead-letter store would take them either.
 * Captured texts (opt-in, for training) are counted apart and logged at WARN: losing one costs a
 * training example, not money, and they give way to entries on purpose when room is short.
 */
final class Drops {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final int LOG_EVERY_NTH = 1_000;

    private static final long BATCH_LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong lastBatchLog = new AtomicLong(System.nanoTime() - BATCH_LOG_INTERVAL_NANOS);

    /** One record lost for a reason that may repeat at a high rate: logs the first and every thousandth. */
    void drop(LedgerRecord record, String reason) {
        switch (record) {
            case LedgerEntry entry -> {
                long total = count.incrementAndGet();
                if (total == 1 || total % LOG_EVERY_NTH == 0) {
                    LOG.error("Dropped the ledger entry for request {} attempt {} because {} ({} dropped so far)",
                            Secrets.redact(entry.requestId()), entry.attempt(), reason, total);
                }
            }
            case CacheLookup lookup -> {
                long total = count.incrementAndGet();
                if (total == 1 || total % LOG_EVERY_NTH == 0) {
                    LOG.error("Dropped the response-cache record ({}) of request {} because {} ({} dropped so far)",
                            lookup.outcome(), Secrets.redact(lookup.requestId()), reason, total);
                }
            }
            case CapturedText text -> {
                long total = texts.incrementAndGet();
                if (total == 1 || total % LOG_EVERY_NTH == 0) {
                    LOG.warn("Dropped the captured text of request {} because {} ({} texts dropped so far)",
                            Secrets.redact(text.requestId()), reason, total);
                }
            }
        }
    }

    /** Several entries lost at once; logged at most every five seconds while it keeps happening. */
    void drop(long entries, String reason) {
        if (entries <= 0) {
            return;
        }
        long total = count.addAndGet(entries);
        if (mayLogBatch()) {
            LOG.error("Dropped {} ledger entries because {} ({} dropped so far)", entries, reason, total);
        }
    }

    /** Several captured texts lost at once; logged at most every five seconds while it keeps happening. */
    void dropTexts(long dropped, String reason) {
        if (dropped <= 0) {
            return;
        }
        long total = texts.addAndGet(dropped);
        if (mayLogBatch()) {
            LOG.warn("Dropped {} captured texts because {} ({} texts dropped so far)", dropped, reason, total);
        }
    }

    private boolean mayLogBatch() {
        long now = System.nanoTime();
        long last = lastBatchLog.get();
        return now - last >= BATCH_LOG_INTERVAL_NANOS && lastBatchLog.compareAndSet(last, now);
    }

    /** Records lost at once for a reason that does not repeat (the ledger stopping); always logged. */
    void lost(long entries, long lostTexts, String reason) {
        if (entries > 0) {
            long total = count.addAndGet(entries);
            LOG.error("Lost {} ledger entries because {} ({} dropped so far)", entries, reason, total);
        }
        if (lostTexts > 0) {
            long total = texts.addAndGet(lostTexts);
            LOG.warn("Lost {} captured texts because {} ({} texts dropped so far)", lostTexts, reason, total);
        }
    }

    long count() {
        return count.get();
    }

    long texts() {
        return texts.get();
    }
}
