package dev.triage.report;

import java.time.LocalDate;

/**
 * Feedback on the requests of one UTC day that share a route, answering model and task, summed.
 *
 * @param day         the day the rated request started
 * @param model       the model that answered the request, or null when it had no answer
 * @param task        the request's task type, or null
 * @param count       feedbacks (a request rated twice counts twice)
 * @param scoreMicros the sum of their scores, each in millionths (0..1,000,000)
 */
public record FeedbackRow(LocalDate day, String route, String model, String task, long count, long scoreMicros) {
}
