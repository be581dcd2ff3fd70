package dev.triage.ledger;

/** What the ledger can promise about the entries it is given right now. */
public enum LedgerState {
    /** The database takes writes. */
    UP,
    /** The database is unreachable; entries are kept durably in the spool and written when it is back. */
    SPOOLING,
    /** The database is unreachable and there is no spool: entries wait in memory and are lost if the queue fills. */
    DOWN
}
