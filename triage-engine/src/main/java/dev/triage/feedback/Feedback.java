package dev.triage.feedback;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * A quality signal on one gateway request.
 *
 * @param requestId the request's {@code x-triage-request-id}
 * @param score     0 (useless) to 1 (perfect); kept to six decimal places
 * @param comment   free text, or null
 * @param time      when the feedback arrived
 */
public record Feedback(String requestId, BigDecimal score, String comment, Instant time) {

    /** The longest comment kept. */
    public static final int MAX_COMMENT_CHARS = 2_000;

    public Feedback {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(time, "time");
        if (score.signum() < 0 || score.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("score must be between 0 and 1: " + score);
        }
        if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException("comment is longer than " + MAX_COMMENT_CHARS + " characters");
        }
    }

    /** The score in millionths, rounded half-even: how it is stored and summed. */
    public long scoreMicros() {
        return score.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
