package dev.triage.ledger;

/**
 * The ledger database could not be reached (or did not accept writes) in time. Messages carry no credentials.
 * Thrown by the storage backends; callers catch it here, next to {@link Ledger}, without knowing the backend.
 */
public final class LedgerUnavailableException extends LedgerAccessException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
