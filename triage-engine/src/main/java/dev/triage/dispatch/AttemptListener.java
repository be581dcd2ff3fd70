package dev.triage.dispatch;

import dev.triage.ledger.LedgerEntry;

/** Observes every upstream attempt as it ends (the ledger, metrics). Must return quickly. */
@FunctionalInterface
public interface AttemptListener {
    void onAttempt(LedgerEntry entry);
}
