package dev.triage.ledger.jdbc;

import dev.triage.ledger.LedgerAccessException;

/** The ledger database could not be reached (or did not accept writes) in time. Messages carry no credentials. */
public final class LedgerUnavailableException extends LedgerAccessException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
