package dev.triage.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.chat.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;

/** One $1 daily budget, 1,000 requests released at once on virtual threads. */
@Timeout(20)
class BudgetRaceTest {

    private static final int REQUESTS = 1_000;
    private static final Money LIMIT = Money.ofUsd("1");
    private static final Money WORST = Money.ofUsd("0.0123");
    /** The largest n with n x $0.0123 <= $1: 81 reservations commit $0.9963, and an 82nd would not fit. */
    private static final int GRANTS_WITHOUT_SETTLES = 81;

    private final DailyBudgets budgets = new DailyBudgets(new InMemoryBudgetStore(),
            new MutableClock(Instant.parse("2026-03-10T12:00:00Z")), ZoneOffset.UTC);

    /** Real costs between zero and the worst case, the same for a given round. */
    private static long[] realCosts(int round) {
        SplittableRandom random = new SplittableRandom(round);
        long[] costs = new long[REQUESTS];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = random.nextLong(WORST.picos() + 1);
        }
        return costs;
    }

    @RepeatedTest(5)
    void allReserveAtOnceThenSettleAtOnce(RepetitionInfo round) throws Exception {
        long[] costs = realCosts(round.getCurrentRepetition());
        AtomicReferenceArray<Reservation> granted = new AtomicReferenceArray<>(REQUESTS);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch reserved = new CountDownLatch(REQUESTS);
        CountDownLatch settle = new CountDownLatch(1);
        Money peak;
        List<Future<Void>> requests = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                int request = i;
                requests.add(threads.submit((Callable<Void>) () -> {
                    start.await();
                    budgets.reserve("tier", WORST, LIMIT).ifPresent(r -> granted.set(request, r));
                    reserved.countDown();
                    settle.await();
                    Reservation reservation = granted.get(request);
                    if (reservation != null) {
                        budgets.settle(reservation, new Money(costs[request]));
                    }
                    return null;
                }));
            }
            start.countDown();
            reserved.await();
            peak = budgets.spentToday("tier");
            settle.countDown();
        }
        for (Future<Void> request : requests) {
            request.get();
        }

        long grants = 0;
        long expectedSpend = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (granted.get(i) != null) {
                grants++;
                expectedSpend += costs[i];
            }
        }
        assertThat(grants).isEqualTo(GRANTS_WITHOUT_SETTLES);
        assertThat(peak).isEqualTo(WORST.times(GRANTS_WITHOUT_SETTLES)).isEqualTo(Money.ofUsd("0.9963"));
        assertThat(peak).isGreaterThan(LIMIT.minus(WORST)).isLessThanOrEqualTo(LIMIT);
        assertThat(budgets.spentToday("tier")).isEqualTo(new Money(expectedSpend));
        assertThat(budgets.spentToday("tier")).isLessThanOrEqualTo(LIMIT);
    }

    @RepeatedTest(5)
    void reservationsAndSettlesInterleavedNeverOvershoot(RepetitionInfo round)
            throws Exception {
        long[] costs = realCosts(round.getCurrentRepetition());
        AtomicReferenceArray<Reservation> granted = new AtomicReferenceArray<>(REQUESTS);
        AtomicLong highestSeen = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> requests = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                int request = i;
                requests.add(threads.submit((Callable<Void>) () -> {
                    start.await();
                    budgets.reserve("tier", WORST, LIMIT).ifPresent(reservation -> {
                        granted.set(request, reservation);
                        highestSeen.accumulateAndGet(budgets.spentToday("tier").picos(), Math::max);
                        Thread.yield();
                        budgets.settle(reservation, new Money(costs[request]));
                        // A repeated settle (e.g. a retried cleanup) must not release the reservation twice.
                        budgets.settle(reservation, Money.ZERO);
                    });
                    return null;
                }));
            }
            start.countDown();
        }
        for (Future<Void> request : requests) {
            request.get();
        }

        long grants = 0;
        long expectedSpend = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (granted.get(i) != null) {
                grants++;
                expectedSpend += costs[i];
            }
        }
        Money spent = budgets.spentToday("tier");
        assertThat(spent).isEqualTo(new Money(expectedSpend));
        assertThat(spent).isLessThanOrEqualTo(LIMIT);
        assertThat(new Money(highestSeen.get())).isLessThanOrEqualTo(LIMIT);
        // Settles only free money, so at least as many requests get through as without them, and the
        // budget did run out: the real costs of all 1,000 requests add up to several dollars.
        assertThat(grants).isGreaterThanOrEqualTo(GRANTS_WITHOUT_SETTLES).isLessThan(REQUESTS);
        // Whatever is left is usable: the store's state is coherent after the race.
        assertThat(budgets.reserve("tier", WORST, LIMIT).isPresent()).isEqualTo(spent.plus(WORST).compareTo(LIMIT) <= 0);
    }

    @RepeatedTest(5)
    void settlingAtTheWorstCaseDuringTheRaceGrantsExactlyTheBudget() throws Exception {
        AtomicLong grants = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> requests = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(threads.submit((Callable<Void>) () -> {
                    start.await();
                    budgets.reserve("tier", WORST, LIMIT).ifPresent(reservation -> {
                        grants.incrementAndGet();
                        budgets.settle(reservation, WORST);
                    });
                    return null;
                }));
            }
            start.countDown();
        }
        for (Future<Void> request : requests) {
            request.get();
        }

        assertThat(grants.get()).isEqualTo(GRANTS_WITHOUT_SETTLES);
        Money spent = budgets.spentToday("tier");
        assertThat(spent).isEqualTo(Money.ofUsd("0.9963"));
        assertThat(spent).isGreaterThan(LIMIT.minus(WORST)).isLessThanOrEqualTo(LIMIT);
    }
}
