package dev.triage.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class BudgetAlertsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 5);
    private final List<BudgetAlert> sent = new ArrayList<>();
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final BudgetAlerts alerts = new BudgetAlerts(List.of(80, 100), (id, keep) -> claimed.add(id), sent::add, Clock.systemUTC());

    @Test
    void eachThresholdIsSentOncePerBudgetAndPeriodExactlyAtItsShare() {
        Money limit = Money.ofUsd("1");
        alerts.check("r/high", "tier", DAY, new Money(Money.ofUsd("0.8").picos() - 1), limit);
        assertThat(sent).isEmpty();
        alerts.check("r/high", "tier", DAY, Money.ofUsd("0.8"), limit);
        alerts.check("r/high", "tier", DAY, Money.ofUsd("0.9"), limit);
        assertThat(sent).extracting(BudgetAlert::threshold).containsExactly(80);
        alerts.check("r/high", "tier", DAY, Money.ofUsd("1.2"), limit);
        alerts.check("r/high", "tier", DAY.plusDays(1), Money.ofUsd("0.85"), limit);
        alerts.check("key:app", "key", DAY, Money.ofUsd("0.85"), limit);
        assertThat(sent).extracting(a -> a.budget() + " " + a.period() + " " + a.threshold())
                .containsExactly("r/high 2026-12-05 80", "r/high 2026-12-05 100", "r/high 2026-12-06 80", "key:app 2026-12-05 80");
    }

    @Test
    void aRefusalSendsTheThresholdsUpTo100ThoughWhatWasCommittedIsUnderTheLimit() {
        alerts.refused("key:app", "key", DAY, Money.ofUsd("0.7"), Money.ofUsd("1"));
        assertThat(sent).extracting(BudgetAlert::threshold).containsExactly(80, 100);
        assertThat(sent.getLast().committed()).isEqualTo(Money.ofUsd("0.7"));
        alerts.refused("key:app", "key", DAY, Money.ofUsd("0.7"), Money.ofUsd("1"));
        assertThat(sent).hasSize(2);
    }

    @Test
    void anotherInstanceThatClaimedFirstSendsItInstead() {
        claimed.add("alert:r/high:2026-12-05:80");
        alerts.check("r/high", "tier", DAY, Money.ofUsd("0.9"), Money.ofUsd("1"));
        assertThat(sent).isEmpty();
        assertThat(BudgetAlerts.NONE.enabled()).isFalse();
    }
}
