package dev.triage.report;

import dev.triage.chat.Money;
import java.util.Objects;

/**
 * The attempts of one shared-context arm in a period, and the feedback on its requests, summed.
 *
 * @param arm          {@code compact} or {@code full}, as the ledger records it
 * @param attempts     the arm's attempts, summarizer calls (step {@code context}) included
 * @param requests     requests started (attempts numbered 1)
 * @param answered     requests answered (see {@link UsageRow} for what an answer is)
 * @param cost         every attempt's cost, summarizer calls included: they are this arm's price
 * @param inputTokens  input tokens of every attempt
 * @param outputTokens output tokens of every attempt
 * @param feedbacks    feedbacks on the arm's requests started in the period (a request rated twice counts twice)
 * @param scoreMicros  the sum of their scores, each in millionths (0..1,000,000)
 */
public record ArmUsage(String arm, long attempts, long requests, long answered, Money cost, long inputTokens,
                       long outputTokens, long feedbacks, long scoreMicros) {

    public ArmUsage {
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(cost, "cost");
    }
}
