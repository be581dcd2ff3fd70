package dev.triage.ledger.jdbc;

/** The ledger database could not be reached (or did not accept writes) in time. Messages carry no credentials. */
public final class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
