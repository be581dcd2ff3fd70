package dev.triage.report;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A report source that returns what the test put in, whatever the period. */
final class FakeReportSource implements ReportSource {

    final List<UsageRow> usage = new ArrayList<>();
    final List<UserUsage> users = new ArrayList<>();
    final List<FeedbackRow> feedback = new ArrayList<>();
    final List<KeyUsage> keys = new ArrayList<>();
    final List<ArmUsage> arms = new ArrayList<>();
    final List<CacheUsage> cache = new ArrayList<>();
    final List<LatencyRow> latencies = new ArrayList<>();
    /** The keys the last {@link #forKeys} call asked for. */
    Set<String> scopedTo;
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
    public List<KeyUsage> keys(ReportPeriod period) {
        return keys;
    }

    /** Records the keys and returns a source with only their key lines (the other figures stay as put in). */
    @Override
    public ReportSource forKeys(Set<String> names) {
        scopedTo = names;
        FakeReportSource scoped = new FakeReportSource();
        scoped.usage.addAll(usage);
        scoped.users.addAll(users);
        scoped.feedback.addAll(feedback);
        scoped.arms.addAll(arms);
        scoped.cache.addAll(cache);
        scoped.latencies.addAll(latencies);
        keys.stream().filter(k -> names.contains(k.key())).forEach(scoped.keys::add);
        scoped.first = first;
        scoped.deadLetters = deadLetters;
        return scoped;
    }

    @Override
    public List<FeedbackRow> feedback(ReportPeriod period) {
        return feedback;
    }

    @Override
    public List<ArmUsage> contextArms(ReportPeriod period) {
        return arms;
    }

    @Override
    public List<CacheUsage> responseCache(ReportPeriod period) {
        return cache;
    }

    @Override
    public List<LatencyRow> latencies(ReportPeriod period, int oneIn) {
        return latencies;
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
