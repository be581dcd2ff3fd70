package dev.triage.http;

import dev.triage.ledger.LedgerAccessException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the ledger's failures into the client's 503 {@code ledger_unavailable}. What failed (the
 * database's error, the spool's path) is for the operator: it is logged once when an outage begins,
 * not once per request, and never sent to the client.
 */
final class LedgerOutage {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerOutage.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final AtomicBoolean ongoing = new AtomicBoolean();

    /** The error to answer; logs the cause if it starts an outage. */
    ApiError failed(LedgerAccessException e, String requestId) {
        if (ongoing.compareAndSet(false, true)) {
            LOG.error("The ledger database cannot be read or written (request {}); until it is back, reports and feedback "
                    + "answer 503 ledger_unavailable: {}", requestId, e.getMessage());
        } else {
            LOG.debug("ledger still unavailable (request {}): {}", requestId, e.getMessage());
        }
        return new ApiError(503, "server_error", "ledger_unavailable", null,
                "The ledger database is unavailable; nothing was read or stored. Retry later.", RETRY_AFTER);
    }

    /** A ledger call succeeded: an outage in progress is over. */
    void succeeded() {
        if (ongoing.compareAndSet(true, false)) {
            LOG.info("The ledger database answers again");
        }
    }
}
