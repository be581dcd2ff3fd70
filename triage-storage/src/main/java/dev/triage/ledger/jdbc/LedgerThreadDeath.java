package dev.triage.ledger.jdbc;

/**
 * What to do when a thread the ledger cannot work without (the batch writer, the spool drainer) dies of
 * an exception or error nothing caught, an {@code OutOfMemoryError} included. From then on nothing more
 * reaches the database: a gateway must not go on serving, so its composition root ends the process and
 * lets a supervisor restart it (the spool keeps what was already fsynced).
 */
@FunctionalInterface
public interface LedgerThreadDeath {

    /**
     * Called once, on the dying thread.
     *
     * @param thread the thread's name ({@code triage-ledger-writer} or {@code triage-ledger-spool-drainer})
     * @param cause  what killed it
     */
    void died(String thread, Throwable cause);
}
