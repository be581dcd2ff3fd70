package dev.triage.feedback;

/** Where feedback is kept: beside the ledger, so reports can join it to what requests cost. */
public interface FeedbackStore {

    /**
     * Stores the feedback against its request; a request may be rated any number of times.
     *
     * @return false, storing nothing, when no request with that id is in the ledger
     */
    boolean record(Feedback feedback);
}
