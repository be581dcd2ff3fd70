package dev.triage.budget;

/**
 * The shared budget store cannot be reached (or did not answer in time): nothing was reserved, and a
 * request that needs a budget must not go ahead on a guess. The gateway answers 503
 * {@code budget_store_unavailable} with a {@code Retry-After}.
 */
public final class BudgetStoreUnavailableException extends RuntimeException {

    public BudgetStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
