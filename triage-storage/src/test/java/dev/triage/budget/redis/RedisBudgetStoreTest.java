package dev.triage.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.chat.Money;
import dev.triage.testing.TcpProxy;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis budget store on the machine's real Redis (127.0.0.1:6379), each test under its own key
 * prefix. Outages go through a {@link TcpProxy} the test cuts and restores; the shared Redis keeps running.
 */
class RedisBudgetStoreTest {

    private static final String REDIS = "redis://127.0.0.1:6379/0";
    /** Today: keys of a day long past would expire as they are written. */
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String prefix = "triage-test:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RedisBudgetStore store(String uri, Duration lease) {
        RedisBudgetStore s = new RedisBudgetStore(uri, prefix, lease, TIMEOUT);
        open.add(s);
        return s;
    }

    private static Money usd(String amount) {
        return Money.ofUsd(amount);
    }

    @Test
    void reservesWithinTheLimitSettlesToTheRealCostOnceAndRefusesWhatDoesNotFit() {
        RedisBudgetStore store = store(REDIS, LEASE);
        Reservation a = store.tryReserve("r/high", DAY, usd("0.60"), usd("1")).orElseThrow();
        assertThat(store.tryReserve("r/high", DAY, usd("0.50"), usd("1"))).isEmpty();
        assertThat(store.committed("r/high", DAY)).isEqualTo(usd("0.60"));

        store.settle(a, usd("0.25"));
        store.settle(a, usd("0.25"));
        assertThat(store.committed("r/high", DAY)).isEqualTo(usd("0.25"));
        assertThat(store.tryReserve("r/high", DAY, usd("0.75"), usd("1"))).isPresent();
        assertThat(store.tryReserve("r/high", DAY, new Money(1), usd("1"))).as("a spent budget refuses even a cent").isEmpty();
        assertThat(store.committed("r/high", DAY.plusDays(1))).isEqualTo(Money.ZERO);
        assertThat(store.committed("r/low", DAY)).isEqualTo(Money.ZERO);
    }

    @Test
    void amountsBeyondWhatADoubleHoldsStayExact() {
        RedisBudgetStore store = store(REDIS, LEASE);
        // 2^53 + 1 picodollars is not a double; the limit is one picodollar above two of them
        Money odd = new Money((1L << 53) + 1);
        Money limit = new Money(2 * odd.picos() + 1);
        Reservation first = store.tryReserve("k", DAY, odd, limit).orElseThrow();
        assertThat(store.tryReserve("k", DAY, new Money(odd.picos() + 2), limit)).as("one picodollar too many").isEmpty();
        assertThat(store.tryReserve("k", DAY, new Money(odd.picos() + 1), limit)).isPresent();
        assertThat(store.committed("k", DAY)).isEqualTo(limit);
        store.settle(first, new Money(3));
        assertThat(store.committed("k", DAY)).isEqualTo(new Money(odd.picos() + 4));
    }

    @Test
    void twoInstancesHammeringOneBudgetNeverCommitMoreThanTheLimit() throws Exception {
        List<RedisBudgetStore> instances = List.of(store(REDIS, LEASE), store(REDIS, LEASE));
        Money limit = usd("1");
        ConcurrentLinkedQueue<Reservation> granted = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            RedisBudgetStore s = instances.get(i % 2);
            done.add(pool.submit(() -> {
                start.await();
                // worst cases of 1 to 5 cents; each reservation settles at a random share of it
                Money worst = new Money(ThreadLocalRandom.current().nextLong(1, 6) * 10_000_000_000L);
                Optional<Reservation> r = s.tryReserve("shared", DAY, worst, limit);
                r.ifPresent(granted::add);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        long reserved = granted.stream().mapToLong(r -> r.amount().picos()).sum();
        assertThat(reserved).isLessThanOrEqualTo(limit.picos()).isGreaterThan(limit.picos() - 5 * 10_000_000_000L);
        assertThat(instances.get(0).committed("shared", DAY)).isEqualTo(new Money(reserved));
        long settled = 0;
        for (Reservation r : granted) {
            Money actual = new Money(r.amount().picos() / 3);
            settled += actual.picos();
            instances.get((int) (r.id() % 2)).settle(r, actual);
        }
        assertThat(instances.get(1).committed("shared", DAY)).isEqualTo(new Money(settled));
        assertThat(granted.stream().map(Reservation::id).distinct().count()).isEqualTo(granted.size());
    }

    @Test
    void aReservationNeverSettledIsReleasedWhenItsLeaseRunsOutAndALateSettleStillCounts() throws Exception {
        RedisBudgetStore store = store(REDIS, Duration.ofMillis(200));
        Reservation abandoned = store.tryReserve("k", DAY, usd("0.90"), usd("1")).orElseThrow();
        assertThat(store.tryReserve("k", DAY, usd("0.20"), usd("1"))).isEmpty();
        Thread.sleep(300);

        Reservation next = store.tryReserve("k", DAY, usd("0.20"), usd("1")).orElseThrow();
        assertThat(store.committed("k", DAY)).as("the lapsed 0.90 is released").isEqualTo(usd("0.20"));
        store.settle(abandoned, usd("0.50"));
        store.settle(abandoned, usd("0.50"));
        assertThat(store.committed("k", DAY)).as("the late settle adds the real cost, once").isEqualTo(usd("0.70"));
        store.settle(next, usd("0.10"));
        assertThat(store.committed("k", DAY)).isEqualTo(usd("0.60"));
    }

    @Test
    void everyKeyExpiresAfterItsDays() {
        RedisBudgetStore store = store(REDIS, LEASE);
        store.tryReserve("k", DAY, usd("0.10"), usd("1")).orElseThrow();
        try (var probe = io.lettuce.core.RedisClient.create(REDIS); var c = probe.connect()) {
            List<String> keys = c.sync().keys(prefix + "*");
            // committed, open, leases, ids (lapsed appears only when a lease runs out, with the same expiry)
            assertThat(keys).hasSize(4);
            long expected = DAY.plusDays(RedisBudgetStore.DAYS_KEPT).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            for (String k : keys) {
                long expiresAt = System.currentTimeMillis() / 1000 + c.sync().ttl(k);
                assertThat(expiresAt).as(k).isBetween(expected - 5, expected + 5);
            }
        }
    }

    @Test
    void whileRedisIsUnreachableReservingThrowsAndSettlesWaitThenLand() throws Exception {
        TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
        open.add(proxy);
        RedisBudgetStore store = store("redis://127.0.0.1:" + proxy.port() + "/0", LEASE);
        Reservation r = store.tryReserve("k", DAY, usd("0.40"), usd("1")).orElseThrow();

        proxy.cut();
        assertThatThrownBy(() -> store.tryReserve("k", DAY, usd("0.10"), usd("1")))
                .isInstanceOf(BudgetStoreUnavailableException.class);
        assertThatThrownBy(() -> store.committed("k", DAY)).isInstanceOf(BudgetStoreUnavailableException.class);
        assertThat(store.available()).isFalse();
        store.settle(r, usd("0.15"));
        assertThat(store.pendingSettles()).isEqualTo(1);

        proxy.restore();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (store.pendingSettles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(store.pendingSettles()).isZero();
        assertThat(store.available()).isTrue();
        assertThat(store.committed("k", DAY)).isEqualTo(usd("0.15"));
        assertThat(store.failures()).isPositive();
    }

    @Test
    void aStoreStartedWhileRedisIsDownConnectsWhenItComesUp() throws Exception {
        TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
        open.add(proxy);
        proxy.cut();
        RedisBudgetStore store = store("redis://127.0.0.1:" + proxy.port() + "/0", LEASE);
        assertThat(store.available()).isFalse();
        assertThatThrownBy(() -> store.tryReserve("k", DAY, usd("0.10"), usd("1"))).isInstanceOf(BudgetStoreUnavailableException.class)
                .hasMessageStartingWith("Redis: ");
        proxy.restore();
        assertThat(store.tryReserve("k", DAY, usd("0.10"), usd("1"))).isPresent();
        assertThat(store.available()).isTrue();
    }

    @Test
    void aPasswordInTheUriNeverReachesAnError() {
        RedisBudgetStore store = store("redis://:s3cret-budget-pw@127.0.0.1:1/0", LEASE);
        assertThatThrownBy(() -> store.tryReserve("k", DAY, usd("0.10"), usd("1")))
                .isInstanceOf(BudgetStoreUnavailableException.class)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret-budget-pw");
                    }
                });
    }
}
