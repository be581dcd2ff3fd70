package dev.triage.report;

import java.math.BigDecimal;

/**
 * The thresholds recommendations use. Start from {@link #defaults()}.
 *
 * @param minRequests       fewest requests (in the period, or of a task type) to recommend anything about them
 * @param minFeedback       fewest feedbacks behind a quality figure that a finding relies on
 * @param qualityFloor      mean feedback score under which quality is a pitfall
 * @param qualityTolerance  how far under the current model's quality an alternative may be and still be recommended
 * @param flagshipSharePct  the seed's signal: the most expensive model above this share of cost
 * @param cheapSharePct     the seed's signal: the cheapest model under this share of cost (and of answers)
 * @param recentDays        the "recent" window that pitfalls compare with the rest of the period
 * @param maxUsers          users listed by name in {@code by_user}; the rest are summed in one line
 * @param cacheablePromptTokens fewest input tokens per attempt, on average, for a model's prompts to count as large
 *                          enough to cache (Anthropic and OpenAI cache prompts of 1,024 tokens and more)
 */
public record ReportSettings(int minRequests, int minFeedback, BigDecimal qualityFloor, BigDecimal qualityTolerance,
                             BigDecimal flagshipSharePct, BigDecimal cheapSharePct, int recentDays, int maxUsers,
                             int cacheablePromptTokens) {

    /**
     * 50 requests, 10 feedbacks, floor 0.7, tolerance 0.05, flagship 30 %, cheap 50 %, 7 recent days, 50 users,
     * prompts of 1,024 tokens.
     */
    public static ReportSettings defaults() {
        return new ReportSettings(50, 10, new BigDecimal("0.7"), new BigDecimal("0.05"), new BigDecimal("30"),
                new BigDecimal("50"), 7, 50, 1024);
    }
}
