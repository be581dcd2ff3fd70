package dev.triage.budget.redis;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.chat.Money;
import io.lettuce.core.KeyValue;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets shared by every gateway instance that points at the same Redis, kept across restarts.
 *
 * <p>Each reserve and settle is one Lua script, so a check and its increment are one atomic step
 * however many instances ask at once: spend passes a limit only by what a call costs beyond its
 * reserved worst case. Each budget key and day has its own keys (committed total, open reservations,
 * their leases, lapsed reservations, an id counter), all in one hash slot and all expiring
 * {@value #DAYS_KEPT} days after the period (day or month) starts. A reservation whose lease runs out before it is settled
 * (its gateway died mid-request) is released by the next reserve on that key — never leaked — and a
 * settle that still comes adds the real cost, so spend is never lost. Amounts travel as exact decimal
 * picodollars.
 *
 * <p>When Redis cannot be reached, reserving and reading throw {@link BudgetStoreUnavailableException}
 * (the gateway refuses budgeted traffic, unless {@link OutageTolerantBudgetStore} serves it locally); settles
 * are kept in memory and retried until Redis answers.
 */
public final class RedisBudgetStore implements BudgetStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBudgetStore.class);
    /** Days a period's keys are kept after it starts: a month (a virtual key's budget period) and a margin for settles arriving late. */
    static final int DAYS_KEPT = 40;
    /** Settles kept while Redis is unreachable; beyond this they are dropped (and counted): the ledger still has every cost. */
    static final int MAX_PENDING_SETTLES = 100_000;
    private static final Duration RETRY_EVERY = Duration.ofMillis(500);

    private final RedisLink redis;
    private final boolean ownsLink;
    private final String prefix;
    private final Duration lease;
    private final RedisLink.Script reserve = RedisLink.Script.load("reserve.lua");
    private final RedisLink.Script settle = RedisLink.Script.load("settle.lua");
    private final RedisLink.Script add = RedisLink.Script.load("add.lua");
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicLong droppedSettles = new AtomicLong();
    private final ScheduledExecutorService retrier;

    /**
     * @param redis  the connection (shared with the rate limiter; closed by its owner)
     * @param prefix what every key starts with, e.g. {@code triage:budget:}
     * @param lease  how long an unsettled reservation holds its amount: longer than any request can take
     */
    public RedisBudgetStore(RedisLink redis, String prefix, Duration lease) {
        this(redis, false, prefix, lease);
    }

    /** A store with a connection of its own to {@code uri}, closed with the store. */
    public RedisBudgetStore(String uri, String prefix, Duration lease, Duration timeout) {
        this(new RedisLink(uri, timeout), true, prefix, lease);
    }

    private RedisBudgetStore(RedisLink redis, boolean ownsLink, String prefix, Duration lease) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.ownsLink = ownsLink;
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.retrier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triage-budget-settle-retry");
            t.setDaemon(true);
            return t;
        });
        retrier.scheduleWithFixedDelay(this::retryPending, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Reservation> tryReserve(String key, LocalDate day, Money amount, Money limit) {
        return reserve(key, day, amount, limit).reservation();
    }

    /**
     * As {@link #tryReserve}, also saying the committed total the script saw (with this reservation when it
     * was granted): a fresh reading of the budget at no extra round trip.
     */
    Reply reserve(String key, LocalDate day, Money amount, Money limit) {
        Objects.requireNonNull(limit, "limit");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("negative reservation " + amount);
        }
        List<Object> reply = redis.run(reserve, keys(key, day, true), Long.toString(amount.picos()), Long.toString(limit.picos()),
                Long.toString(lease.toMillis()), Long.toString(expireAt(day)));
        Money committed = new Money(Long.parseLong(String.valueOf(reply.get(2))));
        if (((Long) reply.get(0)) == 0) {
            return new Reply(Optional.empty(), committed);
        }
        return new Reply(Optional.of(new Reservation(key, day, amount, (Long) reply.get(1))), committed);
    }

    @Override
    public void settle(Reservation reservation, Money actual) {
        if (actual.isNegative()) {
            throw new IllegalArgumentException("negative cost " + actual);
        }
        Pending settle = new Pending.Settle(reservation, actual);
        try {
            send(settle);
        } catch (BudgetStoreUnavailableException e) {
            keep(settle);
        }
    }

    /**
     * Adds {@code spent} to a budget without a reservation in Redis (a local one made while Redis was away),
     * once per {@code once} however often it is retried. Queued with the settles waiting for Redis, and sent
     * by their retry (or {@link #flushPending()}): never on the caller's thread, which may be serving
     * requests while Redis hangs.
     */
    void add(KeyDay budget, Money spent, String once) {
        if (spent.isNegative()) {
            throw new IllegalArgumentException("negative spend " + spent);
        }
        keep(new Pending.Add(budget, spent, once));
    }

    /** The committed totals of several budgets in one round trip (zero for a budget Redis has not seen). */
    Map<KeyDay, Money> committed(List<KeyDay> budgets) {
        if (budgets.isEmpty()) {
            return Map.of();
        }
        String[] k = budgets.stream().map(b -> keys(b.key(), b.day(), false)[0]).toArray(String[]::new);
        List<KeyValue<String, String>> values = redis.call(r -> r.mget(k));
        Map<KeyDay, Money> out = new HashMap<>();
        for (int i = 0; i < budgets.size(); i++) {
            out.put(budgets.get(i), committedOf(values.get(i).getValueOrElse(null)));
        }
        return out;
    }

    /** Sends every settle and add waiting for Redis now; whether none is left waiting. */
    boolean flushPending() {
        retryPending();
        return pendingCount.get() == 0;
    }

    @Override
    public Money committed(String key, LocalDate day) {
        return committedOf(redis.call(r -> r.get(keys(key, day, false)[0])));
    }

    @Override
    public boolean available() {
        return redis.available();
    }

    /** Settles waiting for Redis to come back (and spend of local reservations to add, with allow_local). */
    public int pendingSettles() {
        return pendingCount.get();
    }

    /** Settles dropped because too many were waiting (their costs are in the ledger, not in the budget). */
    public long droppedSettles() {
        return droppedSettles.get();
    }

    /** Commands that failed because Redis could not be reached, since start. */
    public long failures() {
        return redis.failures();
    }

    @Override
    public void close() {
        retrier.shutdownNow();
        retryPending();
        if (pendingCount.get() > 0) {
            LOG.warn("budget store: {} settles could not reach Redis before shutdown; their costs are in the ledger only", pendingCount.get());
        }
        if (ownsLink) {
            redis.close();
        }
    }

    private void send(Pending p) {
        switch (p) {
            case Pending.Settle(Reservation r, Money actual) -> {
                String[] k = keys(r.key(), r.day(), true);
                redis.run(settle, new String[] {k[0], k[1], k[2], k[3]}, Long.toString(r.id()), Long.toString(actual.picos()),
                        Long.toString(expireAt(r.day())));
            }
            case Pending.Add(KeyDay b, Money spent, String once) -> {
                String base = base(b.key(), b.day());
                redis.run(add, new String[] {base + "committed", base + "added"}, once, Long.toString(spent.picos()),
                        Long.toString(expireAt(b.day())));
            }
        }
    }

    private void keep(Pending p) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_SETTLES) {
            pendingCount.decrementAndGet();
            droppedSettles.incrementAndGet();
            return;
        }
        pending.add(p);
    }

    /** Synchronized: the retry thread and {@link #flushPending()} must not both take the head of the queue. */
    private synchronized void retryPending() {
        Pending p;
        while ((p = pending.peek()) != null) {
            try {
                send(p);
            } catch (BudgetStoreUnavailableException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("budget store: dropping a settle Redis refused ({}); its cost is in the ledger", e.toString());
            }
            pending.poll();
            pendingCount.decrementAndGet();
        }
    }

    /** committed, open, leases, lapsed, ids (and added, for spend without a reservation): one hash slot per key and day (the braces). */
    private String[] keys(String key, LocalDate day, boolean all) {
        String base = base(key, day);
        return all ? new String[] {base + "committed", base + "open", base + "leases", base + "lapsed", base + "ids"}
                : new String[] {base + "committed"};
    }

    private String base(String key, LocalDate day) {
        return prefix + "{" + key + ":" + day + "}:";
    }

    private static Money committedOf(String value) {
        return value == null || value.startsWith("-") ? Money.ZERO : new Money(Long.parseLong(value));
    }

    private static long expireAt(LocalDate day) {
        return day.plusDays(DAYS_KEPT).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** The committed total a reserve saw, with the reservation if it was granted. */
    record Reply(Optional<Reservation> reservation, Money committed) {
    }

    /** What waits for Redis: a settle of a Redis reservation, or spend of a local one to add. */
    private sealed interface Pending {
        record Settle(Reservation reservation, Money actual) implements Pending {
        }

        record Add(KeyDay budget, Money spent, String once) implements Pending {
        }
    }
}
