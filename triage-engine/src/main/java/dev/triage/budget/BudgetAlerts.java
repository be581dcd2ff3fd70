package dev.triage.budget;

import dev.triage.chat.Money;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tells someone once when a budget crosses each alert threshold (80 % and 100 % by default): after a
 * request settles, the budget's committed amount is compared with its limit, and a threshold crossed for
 * the first time in the period is claimed (once across every instance, through the {@link Once}) and sent.
 */
public final class BudgetAlerts {

    /** No alerts: nothing is read or sent. */
    public static final BudgetAlerts NONE = new BudgetAlerts(List.of(), (id, keep) -> false, alert -> { }, Clock.systemUTC());

    /** Claims kept this long: past any period a budget has (a day, or a key's month). */
    static final Duration CLAIM_KEPT = Duration.ofDays(40);

    private final List<Integer> thresholds;
    private final Once once;
    private final Consumer<BudgetAlert> sink;
    private final Clock clock;

    /**
     * @param thresholds percentages of the limit, each 1..100 (at most 1000 for overspend alerts)
     * @param once       claims an alert for this instance if no instance has claimed it
     * @param sink       sends a claimed alert (must not block the request: hand it to a thread)
     */
    public BudgetAlerts(List<Integer> thresholds, Once once, Consumer<BudgetAlert> sink, Clock clock) {
        this.thresholds = List.copyOf(thresholds);
        this.once = Objects.requireNonNull(once, "once");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether any alert can be sent (so callers skip reading the committed amount when not). */
    public boolean enabled() {
        return !thresholds.isEmpty();
    }

    /** Sends what {@code committed} of {@code limit} crosses for the first time in the period. */
    public void check(String budget, String kind, LocalDate period, Money committed, Money limit) {
        check(budget, kind, period, committed, limit, committed);
    }

    /**
     * The budget just refused a request: it is exhausted for requests like it, though what it committed
     * may stay under the limit (a request is only let in when its worst case fits). Thresholds up to 100 %
     * not yet sent are sent now.
     */
    public void refused(String budget, String kind, LocalDate period, Money committed, Money limit) {
        check(budget, kind, period, committed, limit, committed.compareTo(limit) >= 0 ? committed : limit);
    }

    private void check(String budget, String kind, LocalDate period, Money committed, Money limit, Money counted) {
        if (!enabled() || limit == null || limit.picos() <= 0) {
            return;
        }
        for (int threshold : thresholds) {
            // counted / limit >= threshold / 100, in exact integers
            boolean crossed = BigInteger.valueOf(counted.picos()).multiply(BigInteger.valueOf(100))
                    .compareTo(BigInteger.valueOf(limit.picos()).multiply(BigInteger.valueOf(threshold))) >= 0;
            if (crossed && once.claim("alert:" + budget + ":" + period + ":" + threshold, CLAIM_KEPT)) {
                sink.accept(new BudgetAlert(budget, kind, period, threshold, committed, limit, clock.instant()));
            }
        }
    }

    /** Claims an id once: true for the first claim of it anywhere, false after. */
    @FunctionalInterface
    public interface Once {
        boolean claim(String id, Duration keep);
    }
}
