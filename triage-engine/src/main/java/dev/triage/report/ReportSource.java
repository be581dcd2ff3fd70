package dev.triage.report;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a report reads from the ledger; the SQL lives with the ledger database (triage-storage). */
public interface ReportSource {

    /** Attempts in the period, summed per UTC day, route, model, task and tier (see {@link UsageRow}). */
    List<UsageRow> usage(ReportPeriod period);

    /** Attempts in the period, summed per user. */
    List<UserUsage> users(ReportPeriod period);

    /** Attempts in the period, summed per virtual key. */
    List<KeyUsage> keys(ReportPeriod period);

    /**
     * This source restricted to the requests made with the named virtual keys (an empty set: none):
     * usage, users, keys, feedback, context arms and first activity; dead letters and tier spend stay whole.
     */
    ReportSource forKeys(Set<String> keys);

    /** Feedback on requests started in the period, summed per UTC day, route, answering model and task. */
    List<FeedbackRow> feedback(ReportPeriod period);

    /**
     * Attempts in the period that carry a shared-context arm, and feedback on requests started in it, summed per
     * arm; empty when no attempt in the period has one. Read from the attempts themselves, not the daily sums.
     */
    List<ArmUsage> contextArms(ReportPeriod period);

    /** Response-cache lookups made in the period, summed per route, model and outcome; empty when the cache is off. */
    List<CacheUsage> responseCache(ReportPeriod period);

    /**
     * Histograms of the period's successful attempts: latency per model, route and UTC day, and time to first token
     * per model and route (streamed attempts that recorded one). Read from the attempts, one row per distinct
     * millisecond value and name.
     *
     * @param oneIn 1 for every attempt; N to count only the attempts whose row id is a multiple of N (a deterministic
     *              sample that bounds what is read from a period of very many attempts)
     */
    List<LatencyRow> latencies(ReportPeriod period, int oneIn);

    /** The time of the first attempt in the period, if any. */
    Optional<Instant> firstActivity(ReportPeriod period);

    /** Rows the ledger database refused, set aside as dead letters, whose attempt started in the period. */
    DeadLetterRow deadLetters(ReportPeriod period);

    /** What one tier of a tiered route spent in the period. */
    Money spent(String route, String tier, ReportPeriod period);

    /** A ledger with nothing in it, for a report asked of a ledger that does not exist ({@code triage report --allow-empty}). */
    ReportSource EMPTY = new ReportSource() {
        @Override
        public List<UsageRow> usage(ReportPeriod period) {
            return List.of();
        }

        @Override
        public List<UserUsage> users(ReportPeriod period) {
            return List.of();
        }

        @Override
        public List<KeyUsage> keys(ReportPeriod period) {
            return List.of();
        }

        @Override
        public ReportSource forKeys(Set<String> keys) {
            return this;
        }

        @Override
        public List<FeedbackRow> feedback(ReportPeriod period) {
            return List.of();
        }

        @Override
        public List<ArmUsage> contextArms(ReportPeriod period) {
            return List.of();
        }

        @Override
        public List<CacheUsage> responseCache(ReportPeriod period) {
            return List.of();
        }

        @Override
        public List<LatencyRow> latencies(ReportPeriod period, int oneIn) {
            return List.of();
        }

        @Override
        public Optional<Instant> firstActivity(ReportPeriod period) {
            return Optional.empty();
        }

        @Override
        public DeadLetterRow deadLetters(ReportPeriod period) {
            return DeadLetterRow.NONE;
        }

        @Override
        public Money spent(String route, String tier, ReportPeriod period) {
            return Money.ZERO;
        }
    };
}
