package dev.triage.report;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A report source that returns what the test put in, whatever the period. */
final class FakeReportSource implements ReportSource {

    final List<UsageRow> usage = new ArrayList<>();
    final List<UserUsage> users = new ArrayList<>();
    final List<FeedbackRow> feedback = new ArrayList<>();
    Instant first;
    DeadLetterRow deadLetters = DeadLetterRow.NONE;

    @Override
    public List<UsageRow> usage(ReportPeriod period) {
        return usage;
    }

    @Override
    public List<UserUsage> users(ReportPeriod period) {
        return users;
    }

    @Override
    public List<FeedbackRow> feedback(ReportPeriod period) {
        return feedback;
    }

    @Override
    public Optional<Instant> firstActivity(ReportPeriod period) {
        return Optional.ofNullable(first);
    }

    @Override
    public DeadLetterRow deadLetters(ReportPeriod period) {
        return deadLetters;
    }

    @Override
    public Money spent(String route, String tier, ReportPeriod period) {
        return Money.ZERO;
    }
}
