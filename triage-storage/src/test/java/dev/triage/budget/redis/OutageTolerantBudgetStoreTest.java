package dev.triage.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.chat.Money;
import dev.triage.testing.Eventually;
import dev.triage.testing.TcpProxy;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code storage.redis_outage: allow_local} on the machine's real Redis: several store instances, each with its
 * own connection through one {@link TcpProxy} (cut for all at once), each test under its own key prefix and its
 * own instance count. Heartbeats are beaten by the test, so who counted what is exact.
 */
class OutageTolerantBudgetStoreTest {

    private static final String REDIS = "redis://127.0.0.1:6379/0";
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Money LIMIT = Money.ofUsd("1");
    /** Every request's worst case in the outage. */
    private static final Money WORST = Money.ofUsd("0.01");

    private final String prefix = "triage-test:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        proxy.close();
    }

    /** One gateway instance's budget store and heartbeat, on its own connection through the proxy. */
    private record Instance(OutageTolerantBudgetStore store, InstanceHeartbeat heartbeat, RedisLink link) {
    }

    private Instance instance() {
        RedisLink link = new RedisLink("redis://127.0.0.1:" + proxy.port() + "/0", TIMEOUT);
        InstanceHeartbeat heartbeat = new InstanceHeartbeat(link, prefix + "instances", Duration.ofSeconds(1), Duration.ofSeconds(30));
        OutageTolerantBudgetStore store = OutageTolerantBudgetStore.over(new RedisBudgetStore(link, prefix, LEASE), heartbeat,
                Clock.systemUTC());
        open.add(link);
        open.add(heartbeat);
        open.add(store);
        return new Instance(store, heartbeat, link);
    }

    /** Redis itself, not through the proxy: what the budget holds there. */
    private Money committedInRedis(String key) {
        try (RedisBudgetStore direct = new RedisBudgetStore(REDIS, prefix, LEASE, TIMEOUT)) {
            return direct.committed(key, DAY);
        }
    }

    private static void beatAll(List<Instance> instances) {
        for (Instance i : instances) {
            assertThat(i.heartbeat.beat()).isTrue();
        }
    }

    @Test
    void eachInstanceSpendsAtMostItsShareOfWhatWasLeftAndRedisCountsEverySettleOnceItIsBack() throws Exception {
        List<Instance> instances = List.of(instance(), instance(), instance());
        beatAll(instances);
        beatAll(instances);
        assertThat(instances).allSatisfy(i -> assertThat(i.store.instances()).isEqualTo(3));

        // before the outage: one instance only reads the budget, the others spend and hold on it through Redis
        Instance reader = instances.get(0);
        assertThat(reader.store.committed("k", DAY)).isEqualTo(Money.ZERO);
        Reservation settled = instances.get(1).store.tryReserve("k", DAY, Money.ofUsd("0.40"), LIMIT).orElseThrow();
        instances.get(1).store.settle(settled, Money.ofUsd("0.25"));
        Reservation openAcrossTheOutage = instances.get(2).store.tryReserve("k", DAY, Money.ofUsd("0.10"), LIMIT).orElseThrow();
        // the next beat re-reads every budget an instance used: the reader's $0 becomes $0.35
        beatAll(instances);
        Money left = LIMIT.minus(Money.ofUsd("0.35"));
        Money share = new Money(left.picos() / 3);

        proxy.cut();
        List<Reservation> heldAcross = new ArrayList<>();
        for (Instance i : instances) {
            heldAcross.add(i.store.tryReserve("k", DAY, WORST, LIMIT).orElseThrow());
            assertThat(i.store.local()).isTrue();
            assertThat(i.store.state()).isEqualTo(BudgetStore.State.LOCAL);
        }
        assertThat(heldAcross).allSatisfy(r -> assertThat(r.id()).as("local ids are negative").isNegative());
        instances.get(2).store.settle(openAcrossTheOutage, Money.ofUsd("0.05"));

        // every instance spends, from four threads each, until its share refuses
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<AtomicLong> spent = List.of(new AtomicLong(), new AtomicLong(), new AtomicLong());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            int n = t % 3;
            done.add(pool.submit(() -> {
                BudgetStore store = instances.get(n).store;
                Optional<Reservation> r;
                while ((r = store.tryReserve("k", DAY, WORST, LIMIT)).isPresent()) {
                    Money actual = new Money(ThreadLocalRandom.current().nextLong(WORST.picos() / 4, WORST.picos() + 1));
                    store.settle(r.get(), actual);
                    spent.get(n).addAndGet(actual.picos());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        long spentLocally = 0;
        for (int n = 0; n < 3; n++) {
            long mine = spent.get(n).get() + WORST.picos(); // with its reservation held across the outage
            assertThat(mine).as("instance %d spends at most its third of what was left", n).isLessThanOrEqualTo(share.picos())
                    .as("and most of it").isGreaterThan(share.picos() - 5 * WORST.picos());
            spentLocally += mine;
            assertThat(instances.get(n).store.localRefusals()).isPositive();
        }
        assertThat(spentLocally).as("together, at most what was left").isLessThanOrEqualTo(left.picos());
        assertThatThrownBy(() -> reader.store.tryReserve("k", DAY.plusDays(1), WORST, LIMIT))
                .as("a budget never read before the outage has nothing to divide").isInstanceOf(BudgetStoreUnavailableException.class);
        assertThat(reader.store.committed("k", DAY)).as("what it read, plus its own local spend")
                .isEqualTo(Money.ofUsd("0.35").plus(new Money(spent.get(0).get())).plus(WORST));

        proxy.restore();
        beatUntilShared(instances);
        for (Instance i : instances) {
            assertThat(i.store.local()).isFalse();
            assertThat(i.store.state()).isEqualTo(BudgetStore.State.UP);
        }
        long settledLocally = spent.stream().mapToLong(AtomicLong::get).sum();
        // 0.25 and 0.05 settled in Redis, every local settle added, and the three reservations still open moved there
        assertThat(committedInRedis("k")).isEqualTo(Money.ofUsd("0.30").plus(new Money(settledLocally)).plus(WORST.times(3)));
        for (int n = 0; n < 3; n++) {
            instances.get(n).store.settle(heldAcross.get(n), Money.ofUsd("0.004"));
            instances.get(n).store.settle(heldAcross.get(n), Money.ofUsd("0.004"));
        }
        Money total = Money.ofUsd("0.30").plus(new Money(settledLocally)).plus(Money.ofUsd("0.012"));
        assertThat(committedInRedis("k")).as("the sum of every settle, each once").isEqualTo(total);
        Reservation after = instances.get(0).store.tryReserve("k", DAY, WORST, LIMIT).orElseThrow();
        assertThat(after.id()).as("back in Redis").isPositive();
        assertThat(committedInRedis("k")).isEqualTo(total.plus(WORST));
    }

    @Test
    void anInstanceThatNeverReachedRedisRefusesAsFailClosedDoes() {
        proxy.cut();
        Instance i = instance();
        assertThat(i.heartbeat.beat()).isFalse();
        assertThat(i.store.instances()).isZero();
        assertThatThrownBy(() -> i.store.tryReserve("k", DAY, WORST, LIMIT)).isInstanceOf(BudgetStoreUnavailableException.class);
        assertThatThrownBy(() -> i.store.committed("k", DAY)).isInstanceOf(BudgetStoreUnavailableException.class);
        assertThat(i.store.local()).isFalse();
        assertThat(i.store.state()).isEqualTo(BudgetStore.State.UNAVAILABLE);

        proxy.restore();
        assertThat(i.heartbeat.beat()).isTrue();
        assertThat(i.store.instances()).isEqualTo(1);
        assertThat(i.store.tryReserve("k", DAY, WORST, LIMIT)).isPresent();
    }

    @Test
    void aLoneInstanceKeepsAllThatWasLeftAndABudgetAlreadySpentStaysRefused() {
        Instance i = instance();
        beatAll(List.of(i));
        Reservation r = i.store.tryReserve("k", DAY, Money.ofUsd("0.70"), LIMIT).orElseThrow();
        i.store.settle(r, Money.ofUsd("0.70"));
        i.store.tryReserve("spent", DAY, LIMIT, LIMIT).orElseThrow();

        proxy.cut();
        assertThat(i.heartbeat.beat()).as("a failed beat goes local before any request does").isFalse();
        assertThat(i.store.local()).isTrue();
        assertThat(i.store.tryReserve("spent", DAY, new Money(1), LIMIT)).isEmpty();
        assertThat(i.store.tryReserve("k", DAY, Money.ofUsd("0.31"), LIMIT)).as("N = 1: all of the 0.30 left, not more").isEmpty();
        Reservation local = i.store.tryReserve("k", DAY, Money.ofUsd("0.30"), LIMIT).orElseThrow();
        assertThat(i.store.tryReserve("k", DAY, new Money(1), LIMIT)).isEmpty();
        i.store.settle(local, Money.ofUsd("0.10"));
        assertThat(i.store.tryReserve("k", DAY, Money.ofUsd("0.20"), LIMIT)).isPresent();
        assertThat(i.store.localReservations()).isEqualTo(2);
        assertThat(i.store.localRefusals()).isEqualTo(3);
    }

    @Test
    void aRedisThatHangsCostsOneTimeoutThenReservationsAreLocalUntilABeatIsAnswered() throws Exception {
        Instance i = instance();
        beatAll(List.of(i));
        i.store.tryReserve("k", DAY, Money.ofUsd("0.50"), LIMIT).orElseThrow();

        proxy.freeze();
        Reservation first = i.store.tryReserve("k", DAY, WORST, LIMIT).orElseThrow();
        assertThat(first.id()).as("the reserve timed out, so the request was served locally").isNegative();
        Reservation second = i.store.tryReserve("k", DAY, WORST, LIMIT).orElseThrow();
        assertThat(second.id()).isNegative();
        i.store.settle(first, Money.ofUsd("0.002"));

        proxy.thaw();
        beatUntilShared(List.of(i));
        i.store.settle(second, Money.ofUsd("0.003"));
        // 0.50 open, both local costs added, and the reserve that timed out: its bytes reached Redis once the
        // proxy thawed, so it holds its worst case there until its lease runs out, like any reservation given up on
        assertThat(committedInRedis("k")).isEqualTo(Money.ofUsd("0.505").plus(WORST));
    }

    @Test
    void spendOfALocalReservationIsAddedOnceHoweverOftenItIsSent() {
        try (RedisBudgetStore direct = new RedisBudgetStore(REDIS, prefix, LEASE, TIMEOUT)) {
            KeyDay budget = new KeyDay("k", DAY);
            direct.add(budget, Money.ofUsd("0.20"), "instance-a:-9");
            direct.add(budget, Money.ofUsd("0.20"), "instance-a:-9");
            direct.add(budget, Money.ofUsd("0.05"), "instance-a:-8");
            assertThat(direct.flushPending()).isTrue();
            assertThat(direct.committed("k", DAY)).isEqualTo(Money.ofUsd("0.25"));
            assertThat(direct.committed(List.of(budget, new KeyDay("other", DAY))))
                    .containsEntry(budget, Money.ofUsd("0.25")).containsEntry(new KeyDay("other", DAY), Money.ZERO);
        }
    }

    /** Beats until every instance's beat succeeds: the first commands after a restore may meet a connection still reconnecting. */
    private static void beatUntilShared(List<Instance> instances) throws InterruptedException {
        Eventually.await(() -> instances.stream().allMatch(i -> i.heartbeat.beat() && !i.store.local()),
                "every instance beats and shares its budgets again");
    }
}
