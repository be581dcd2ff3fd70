package dev.triage.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * Stored Responses API answers, per tenant. A tenant never sees another's: asking for one is the same as
 * asking for one that does not exist. Expired ones are never returned. Backends throw
 * {@link LedgerUnavailableException} when the database cannot be reached.
 */
public interface ResponseStore {

    /** Keeps a response (its id is new). */
    void save(StoredResponse response);

    /** The tenant's response with this id, unless it has expired. */
    Optional<StoredResponse> find(String tenant, String id, Instant now);

    /** Deletes the tenant's response with this id; false when there was none (or it had expired). */
    boolean delete(String tenant, String id, Instant now);

    /** Deletes every response expired at {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
