package dev.triage.budget.redis;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.chat.Money;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
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
 * (the gateway refuses budgeted traffic); settles are kept in memory and retried until Redis answers.
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
    private final ConcurrentLinkedQueue<PendingSettle> pending = new ConcurrentLinkedQueue<>();
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
        Objects.requireNonNull(limit, "limit");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("negative reservation " + amount);
        }
        List<Object> reply = redis.run(reserve, keys(key, day, true), Long.toString(amount.picos()), Long.toString(limit.picos()),
                Long.toString(lease.toMillis()), Long.toString(expireAt(day)));
        if (((Long) reply.get(0)) == 0) {
            return Optional.empty();
        }
        return Optional.of(new Reservation(key, day, amount, (Long) reply.get(1)));
    }

    @Override
    public void settle(Reservation reservation, Money actual) {
        if (actual.isNegative()) {
            throw new IllegalArgumentException("negative cost " + actual);
        }
        try {
            settleNow(new PendingSettle(reservation, actual));
        } catch (BudgetStoreUnavailableException e) {
            keep(new PendingSettle(reservation, actual));
        }
    }

    @Override
    public Money committed(String key, LocalDate day) {
        String value = redis.call(r -> r.get(keys(key, day, false)[0]));
        return value == null || value.startsWith("-") ? Money.ZERO : new Money(Long.parseLong(value));
    }

    @Override
    public boolean available() {
        return redis.available();
    }

    /** Settles waiting for Redis to come back. */
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

    private void settleNow(PendingSettle s) {
        Reservation r = s.reservation;
        String[] k = keys(r.key(), r.day(), true);
        redis.run(settle, new String[] {k[0], k[1], k[2], k[3]}, Long.toString(r.id()), Long.toString(s.actual.picos()),
                Long.toString(expireAt(r.day())));
    }

    private void keep(PendingSettle s) {
        if (pendingCount.incrementAndGet() > MAX_PENDING_SETTLES) {
            pendingCount.decrementAndGet();
            droppedSettles.incrementAndGet();
            return;
        }
        pending.add(s);
    }

    private void retryPending() {
        PendingSettle s;
        while ((s = pending.peek()) != null) {
            try {
                settleNow(s);
            } catch (BudgetStoreUnavailableException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("budget store: dropping a settle Redis refused ({}); its cost is in the ledger", e.toString());
            }
            pending.poll();
            pendingCount.decrementAndGet();
        }
    }

    /** committed, open, leases, lapsed, ids: one hash slot per key and day (the braces). */
    private String[] keys(String key, LocalDate day, boolean all) {
        String base = prefix + "{" + key + ":" + day + "}:";
        return all ? new String[] {base + "committed", base + "open", base + "leases", base + "lapsed", base + "ids"}
                : new String[] {base + "committed"};
    }

    private static long expireAt(LocalDate day) {
        return day.plusDays(DAYS_KEPT).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private record PendingSettle(Reservation reservation, Money actual) {
    }
}
