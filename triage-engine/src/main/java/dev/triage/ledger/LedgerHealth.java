package dev.triage.ledger;

import dev.triage.chat.Money;

/** What a ledger lost or set aside since it opened, and what it still owes the database; read by {@code /metrics}. */
public interface LedgerHealth {

    /** Entries lost for good (queue or spool full, closed, unreadable spool line, nowhere left to set them aside). */
    long droppedEntries();

    /** Captured texts lost. */
    long droppedTexts();

    /** Entries the database refused and that were set aside as dead letters (table or file) instead of written. */
    long deadLetterEntries();

    /** Captured texts set aside as dead letters. */
    long deadLetterTexts();

    /** What the dead-lettered entries cost: spent, but in no report sum. */
    Money deadLetterCost();

    /** Bytes of rows waiting in the durable spool for the database; 0 without a spool. */
    long spooledBytes();
}
