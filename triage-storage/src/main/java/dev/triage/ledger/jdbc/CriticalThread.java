package dev.triage.ledger.jdbc;

/** The body of a thread the ledger cannot work without: whatever escapes it is reported, never swallowed. */
final class CriticalThread {

    private CriticalThread() {
    }

    /** {@code body}, handing anything it throws (an {@code Error} included) to {@code onDeath} before the thread ends. */
    static Runnable reportingDeath(Runnable body, LedgerThreadDeath onDeath) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                onDeath.died(Thread.currentThread().getName(), t);
            }
        };
    }
}
