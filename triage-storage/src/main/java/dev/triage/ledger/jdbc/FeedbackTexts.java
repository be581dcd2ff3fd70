package dev.triage.ledger.jdbc;

import dev.triage.ledger.CapturedText;
import java.util.List;

/**
 * The requests of a period that were rated (POST /v1/feedback), and those of them whose text was
 * captured: what {@code triage train --from-ledger} learns from.
 *
 * @param requestsWithFeedback how many requests have at least one rating in the period
 * @param rated                the ones of those with a captured text, oldest request first
 */
public record FeedbackTexts(long requestsWithFeedback, List<Rated> rated) {

    public FeedbackTexts {
        rated = List.copyOf(rated);
    }

    /**
     * A rated request with its text.
     *
     * @param ratings        how many ratings it got
     * @param scoreMicrosSum the sum of their scores in millionths
     */
    public record Rated(CapturedText text, long ratings, long scoreMicrosSum) {

        /** The mean of its ratings, 0 to 1: what reports count as its quality. */
        public double meanScore() {
            return scoreMicrosSum / 1e6 / ratings;
        }
    }
}
