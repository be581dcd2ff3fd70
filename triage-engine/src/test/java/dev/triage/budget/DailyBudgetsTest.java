package dev.triage.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.chat.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DailyBudgetsTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Money LIMIT = Money.ofUsd("1");

    private final InMemoryBudgetStore store = new InMemoryBudgetStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T15:59:00Z"));

    private DailyBudgets budgetsIn(ZoneId zone) {
        return new DailyBudgets(store, clock, zone);
    }

    @Test
    void spendResetsAtMidnightInTheZoneAndLateReservationsSettleIntoTheirOwnDay() {
        DailyBudgets budgets = budgetsIn(SHANGHAI);
        // 23:59 in Shanghai on 10 March.
        Reservation lateNight = budgets.reserve("tier", LIMIT, LIMIT).orElseThrow();
        assertThat(budgets.today()).isEqualTo(LocalDate.of(2026, 3, 10));
        assertThat(budgets.reserve("tier", Money.ofUsd("0.01"), LIMIT)).isEmpty();
        assertThat(budgets.untilReset()).isEqualTo(Duration.ofMinutes(1));

        clock.advance(Duration.ofMinutes(2));

        assertThat(budgets.today()).isEqualTo(LocalDate.of(2026, 3, 11));
        assertThat(budgets.spentToday("tier")).isEqualTo(Money.ZERO);
        Reservation morning = budgets.reserve("tier", Money.ofUsd("0.2"), LIMIT).orElseThrow();
        budgets.settle(lateNight, Money.ofUsd("0.7"));
        budgets.settle(morning, Money.ofUsd("0.05"));
        assertThat(budgets.spentToday("tier")).isEqualTo(Money.ofUsd("0.05"));
        assertThat(store.committed("tier", LocalDate.of(2026, 3, 10))).isEqualTo(Money.ofUsd("0.7"));
    }

    @Test
    void aZoneAheadOfUtcDoesNotResetAtUtcMidnight() {
        DailyBudgets budgets = budgetsIn(SHANGHAI);
        clock.set(Instant.parse("2026-03-10T23:59:00Z"));
        budgets.reserve("tier", LIMIT, LIMIT).orElseThrow();

        clock.set(Instant.parse("2026-03-11T00:01:00Z"));

        assertThat(budgets.today()).isEqualTo(LocalDate.of(2026, 3, 11));
        assertThat(budgets.spentToday("tier")).isEqualTo(LIMIT);
        assertThat(budgets.reserve("tier", Money.ofUsd("0.01"), LIMIT)).isEmpty();
        assertThat(budgets.nextReset()).isEqualTo(Instant.parse("2026-03-11T16:00:00Z"));
    }

    @Test
    void untilResetIsTheExactTimeToTheNextMidnightInTheZone() {
        clock.set(Instant.parse("2026-03-10T18:30:15.250Z"));

        assertThat(budgetsIn(ZoneOffset.UTC).untilReset()).isEqualTo(Duration.parse("PT5H29M44.75S"));
        assertThat(budgetsIn(ZoneOffset.UTC).nextReset()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        assertThat(budgetsIn(SHANGHAI).untilReset()).isEqualTo(Duration.parse("PT21H29M44.75S"));
        assertThat(budgetsIn(SHANGHAI).nextReset()).isEqualTo(Instant.parse("2026-03-11T16:00:00Z"));
    }

    @Test
    void atMidnightTheWholeDayIsAhead() {
        clock.set(Instant.parse("2026-03-10T16:00:00Z"));

        assertThat(budgetsIn(SHANGHAI).today()).isEqualTo(LocalDate.of(2026, 3, 11));
        assertThat(budgetsIn(SHANGHAI).untilReset()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void theDayClocksSpringForwardIsTwentyThreeHoursLong() {
        DailyBudgets budgets = budgetsIn(NEW_YORK);
        clock.set(Instant.parse("2026-03-08T05:30:00Z")); // 00:30 EST, DST starts at 02:00

        assertThat(budgets.nextReset()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
        assertThat(budgets.untilReset()).isEqualTo(Duration.ofMinutes(22 * 60 + 30));

        budgets.reserve("tier", LIMIT, LIMIT).orElseThrow();
        clock.set(Instant.parse("2026-03-09T03:59:59Z")); // 23:59:59 EDT
        assertThat(budgets.today()).isEqualTo(LocalDate.of(2026, 3, 8));
        assertThat(budgets.spentToday("tier")).isEqualTo(LIMIT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(budgets.today()).isEqualTo(LocalDate.of(2026, 3, 9));
        assertThat(budgets.spentToday("tier")).isEqualTo(Money.ZERO);
        assertThat(budgets.untilReset()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void theDayClocksFallBackIsTwentyFiveHoursLong() {
        clock.set(Instant.parse("2026-11-01T04:30:00Z")); // 00:30 EDT, DST ends at 02:00

        assertThat(budgetsIn(NEW_YORK).nextReset()).isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
        assertThat(budgetsIn(NEW_YORK).untilReset()).isEqualTo(Duration.ofMinutes(24 * 60 + 30));
    }

    @Test
    void whenMidnightIsSkippedTheDayStartsAtItsFirstInstant() {
        // Chile moves its clocks from 00:00 to 01:00 on 6 September 2026.
        clock.set(Instant.parse("2026-09-05T16:00:00Z")); // 12:00 -04:00

        assertThat(budgetsIn(ZoneId.of("America/Santiago")).nextReset())
                .isEqualTo(Instant.parse("2026-09-06T04:00:00Z"));
        assertThat(budgetsIn(ZoneId.of("America/Santiago")).untilReset()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void noLimitAlwaysGrantsHoldsNothingAndCountsWhatIsSettled() {
        DailyBudgets budgets = budgetsIn(ZoneOffset.UTC);
        Reservation big = budgets.reserve("free", Money.ofUsd("5000"), null).orElseThrow();
        // no worst case, however large, can crowd the others out of an unlimited budget
        Reservation unaffordable = budgets.reserve("free", new Money(Long.MAX_VALUE), null).orElseThrow();
        Reservation bigger = budgets.reserve("free", Money.ofUsd("7000"), null).orElseThrow();
        assertThat(budgets.spentToday("free")).isEqualTo(Money.ZERO);

        budgets.settle(big, Money.ofUsd("0.000123"));
        budgets.settle(unaffordable, Money.ofUsd("2"));
        budgets.settle(bigger, Money.ofUsd("0.000000000001"));

        assertThat(budgets.spentToday("free")).isEqualTo(Money.ofUsd("2.000123000001"));
    }

    @Test
    void tenDaysOfTrafficKeepOnlyTheLastFewDays() {
        DailyBudgets budgets = budgetsIn(SHANGHAI);
        for (int day = 0; day < 10; day++) {
            for (String key : new String[] {"high", "medium", "low"}) {
                Reservation r = budgets.reserve(key, Money.ofUsd("0.5"), LIMIT).orElseThrow();
                budgets.settle(r, Money.ofUsd("0.25"));
            }
            clock.advance(Duration.ofDays(1));
        }

        assertThat(store.dayStates()).isEqualTo(3 * InMemoryBudgetStore.DAYS_KEPT);
        assertThat(store.openReservations()).isZero();
        clock.advance(Duration.ofDays(-1));
        assertThat(budgets.spentToday("high")).isEqualTo(Money.ofUsd("0.25"));
    }
}
