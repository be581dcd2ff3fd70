package dev.triage.ledger;

import java.util.List;

/**
 * Where every upstream attempt is recorded. {@link #record} must not block the request path on a
 * database round trip: implementations queue and write in batches.
 */
public interface Ledger extends AutoCloseable {

    /** Queues an entry for writing; returns at once. */
    void record(LedgerEntry entry);

    /**
     * Queues the text of an answered request (only called when {@code storage.capture_text} is on);
     * returns at once, and may drop the text rather than hold back cost entries.
     */
    void recordText(CapturedText text);

    /** Queues what the response cache did for a request that looked it up; returns at once. */
    void recordCache(CacheLookup lookup);

    /** Blocks until every entry queued so far is durably written. */
    void flush();

    /**
     * Whether entries reach the database now; answers at once, without waiting on the database (a
     * ledger without one is always {@link LedgerState#UP}).
     */
    default LedgerState state() {
        return LedgerState.UP;
    }

    /** The entries of one request, ordered by attempt (flushes first). */
    List<LedgerEntry> findByRequest(String requestId);

    /** Flushes and releases resources. */
    @Override
    void close();
}
