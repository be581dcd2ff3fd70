package dev.triage.ledger;

import java.time.Instant;

/**
 * A row the ledger writes: an attempt's cost ({@link LedgerEntry}), or, when text capture is on, what
 * a request asked and was answered ({@link CapturedText}). Both travel the same queue and spool.
 */
public sealed interface LedgerRecord permits LedgerEntry, CapturedText, CacheLookup {

    /** The gateway request it belongs to ({@code x-triage-request-id}). */
    String requestId();

    /** When it happened. */
    Instant time();
}
