package dev.triage.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.chat.Money;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class InMemoryBudgetStoreTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    private static final Money LIMIT = Money.ofUsd("1");

    private final InMemoryBudgetStore store = new InMemoryBudgetStore();

    private Reservation reserve(String usd) {
        return store.tryReserve("tier", DAY, Money.ofUsd(usd), LIMIT).orElseThrow();
    }

    private Money committed() {
        return store.committed("tier", DAY);
    }

    @Test
    void committedIsSettledSpendPlusOpenReservationsToThePicodollar() {
        Reservation a = reserve("0.3");
        Reservation b = reserve("0.000000000007");
        assertThat(committed().picos()).isEqualTo(300_000_000_007L);

        store.settle(a, Money.ofUsd("0.123456789012"));

        assertThat(committed().picos()).isEqualTo(123_456_789_019L);
        assertThat(b.amount().picos()).isEqualTo(7);
        assertThat(store.openReservations()).isEqualTo(1);
    }

    @Test
    void settlingBelowTheReservationFreesTheDifference() {
        Reservation a = reserve("0.6");
        reserve("0.3");
        assertThat(store.tryReserve("tier", DAY, Money.ofUsd("0.2"), LIMIT)).isEmpty(); // 0.9 + 0.2 does not fit in 1
        assertThat(committed()).isEqualTo(Money.ofUsd("0.9"));

        store.settle(a, Money.ofUsd("0.45"));

        assertThat(committed()).isEqualTo(Money.ofUsd("0.75"));
        assertThat(store.tryReserve("tier", DAY, Money.ofUsd("0.2"), LIMIT)).isPresent();
        assertThat(committed()).isEqualTo(Money.ofUsd("0.95"));
    }

    @Test
    void settlingTwiceIsIgnored() {
        Reservation a = reserve("0.5");
        store.settle(a, Money.ofUsd("0.2"));
        store.settle(a, Money.ofUsd("0.4"));
        store.settle(a, Money.ZERO);

        assertThat(committed()).isEqualTo(Money.ofUsd("0.2"));
        assertThat(store.openReservations()).isZero();
    }

    @Test
    void zeroCostSettleReleasesTheWholeReservation() {
        Reservation a = reserve("0.75");
        store.settle(a, Money.ZERO);

        assertThat(committed()).isEqualTo(Money.ZERO);
        assertThat(store.tryReserve("tier", DAY, Money.ofUsd("0.99"), LIMIT)).isPresent();
    }

    @Test
    void reservingIsRefusedOnceCommittedReachesTheLimitExactly() {
        reserve("0.4");
        reserve("0.6");
        assertThat(committed()).isEqualTo(LIMIT);

        assertThat(store.tryReserve("tier", DAY, Money.ZERO, LIMIT)).isEmpty();
        assertThat(store.tryReserve("tier", DAY, new Money(1), LIMIT)).isEmpty();
        assertThat(committed()).isEqualTo(LIMIT);
    }

    @Test
    void aReservationIsGrantedOnlyIfItFitsInWhatIsLeft() {
        reserve("0.999999999999");

        assertThat(store.tryReserve("tier", DAY, Money.ofUsd("0.5"), LIMIT)).isEmpty();
        assertThat(store.tryReserve("tier", DAY, new Money(2), LIMIT)).isEmpty();
        assertThat(committed()).isEqualTo(Money.ofUsd("0.999999999999"));
        Reservation last = store.tryReserve("tier", DAY, new Money(1), LIMIT).orElseThrow(); // exactly what is left
        assertThat(last.amount()).isEqualTo(new Money(1));
        assertThat(committed()).isEqualTo(LIMIT);
    }

    @Test
    void aWorstCaseLargerThanTheWholeLimitIsRefusedOnAFreshDay() {
        assertThat(store.tryReserve("tier", DAY, Money.ofUsd("1.000000000001"), LIMIT)).isEmpty();
        assertThat(store.tryReserve("tier", DAY, new Money(Long.MAX_VALUE), LIMIT)).isEmpty();
        assertThat(committed()).isEqualTo(Money.ZERO);
    }

    @Test
    void realCostAboveTheReservationIsCountedInFull() {
        Reservation a = reserve("0.1");
        store.settle(a, Money.ofUsd("0.25"));

        assertThat(committed()).isEqualTo(Money.ofUsd("0.25"));
    }

    @Test
    void settleReleasesWhatTheStoreReservedNotWhatTheRecordClaims() {
        Reservation a = reserve("0.5");
        store.settle(new Reservation(a.key(), a.day(), Money.ofUsd("0.9"), a.id()), Money.ofUsd("0.1"));

        assertThat(committed()).isEqualTo(Money.ofUsd("0.1"));
    }

    @Test
    void keysAndDaysAreSeparateBudgets() {
        reserve("1");
        assertThat(store.tryReserve("tier", DAY, Money.ofUsd("0.1"), LIMIT)).isEmpty();
        assertThat(store.tryReserve("other", DAY, Money.ofUsd("0.1"), LIMIT)).isPresent();
        assertThat(store.tryReserve("tier", DAY.plusDays(1), Money.ofUsd("0.1"), LIMIT)).isPresent();

        assertThat(store.committed("other", DAY)).isEqualTo(Money.ofUsd("0.1"));
        assertThat(store.committed("tier", DAY.plusDays(1))).isEqualTo(Money.ofUsd("0.1"));
        assertThat(store.committed("unknown", DAY)).isEqualTo(Money.ZERO);
    }

    @Test
    void zeroLimitRefusesEverything() {
        assertThat(store.tryReserve("tier", DAY, Money.ZERO, Money.ZERO)).isEmpty();
    }

    @Test
    void negativeAmountsAreRejected() {
        assertThatThrownBy(() -> store.tryReserve("tier", DAY, new Money(-1), LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
        Reservation a = reserve("0.1");
        assertThatThrownBy(() -> store.settle(a, new Money(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(committed()).isEqualTo(Money.ofUsd("0.1"));
    }

    @Test
    void onlyTheNewestDaysOfEachKeyAreKept() {
        Reservation first = store.tryReserve("a", DAY, Money.ofUsd("0.5"), LIMIT).orElseThrow();
        for (int d = 0; d < 10; d++) {
            store.tryReserve("a", DAY.plusDays(d), Money.ofUsd("0.01"), LIMIT).orElseThrow();
            store.tryReserve("b", DAY.plusDays(d), Money.ofUsd("0.01"), LIMIT).orElseThrow();
        }

        assertThat(store.dayStates()).isEqualTo(2 * InMemoryBudgetStore.DAYS_KEPT);
        assertThat(store.openReservations()).isEqualTo(2 * InMemoryBudgetStore.DAYS_KEPT);
        assertThat(store.committed("a", DAY.plusDays(9))).isEqualTo(Money.ofUsd("0.01"));
        assertThat(store.committed("a", DAY.plusDays(7))).isEqualTo(Money.ofUsd("0.01"));
        assertThat(store.committed("a", DAY.plusDays(6))).isEqualTo(Money.ZERO);

        // A forgotten day stays forgotten: no state comes back for it.
        store.settle(first, Money.ofUsd("0.2"));
        assertThat(store.tryReserve("a", DAY, Money.ofUsd("0.1"), LIMIT)).isEmpty();
        assertThat(store.committed("a", DAY)).isEqualTo(Money.ZERO);
        assertThat(store.dayStates()).isEqualTo(2 * InMemoryBudgetStore.DAYS_KEPT);
    }

    @Test
    void yesterdayIsStillKeptForReservationsOpenAcrossMidnight() {
        Reservation lateNight = reserve("0.5");
        store.tryReserve("tier", DAY.plusDays(1), Money.ofUsd("0.1"), LIMIT).orElseThrow();

        store.settle(lateNight, Money.ofUsd("0.3"));

        assertThat(store.committed("tier", DAY)).isEqualTo(Money.ofUsd("0.3"));
        assertThat(store.committed("tier", DAY.plusDays(1))).isEqualTo(Money.ofUsd("0.1"));
    }
}
