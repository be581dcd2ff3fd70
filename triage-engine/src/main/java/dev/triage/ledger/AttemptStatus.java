package dev.triage.ledger;

/** How one upstream attempt ended. */
public enum AttemptStatus {
    /** The model answered (the answer may or may not have been accepted by a cascade). */
    OK,
    /** The upstream failed; see the entry's error kind. */
    ERROR,
    /** The client went away mid-stream and the upstream call was cancelled. */
    CANCELLED
}
