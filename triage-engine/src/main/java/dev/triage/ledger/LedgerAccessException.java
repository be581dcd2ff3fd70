package dev.triage.ledger;

/**
 * The ledger's database could not be read or written in time. The message is for the operator's log:
 * it may name spool files and carry the database's own error, so it is never shown to a client.
 */
public class LedgerAccessException extends RuntimeException {

    public LedgerAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
