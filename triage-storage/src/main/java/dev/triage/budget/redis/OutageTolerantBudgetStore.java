package dev.triage.budget.redis;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.chat.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.redis_outage: allow_local}: budgets in Redis while it answers and, while it does not, from
 * local allowances. During an outage this instance may spend on a budget at most its share of what the
 * budget had left when the instance last read it: {@code (limit - committed) / N}, rounded down to the
 * picodollar, N being the instances the {@link InstanceHeartbeat} last counted. The N shares add up to at
 * most what was left, so a budget holds through an outage except for what was committed after the readings
 * the instances divide (see the README, "When Redis is down", for the bound).
 *
 * <p>Readings cost no round trip of their own: each reserve returns the committed total its script saw,
 * each {@link #committed} read is one, and each heartbeat re-reads, in one {@code MGET}, every budget this
 * instance used in the last day. During an outage a budget this instance has no reading of (it never used it,
 * or a new day or period began since) is refused with {@link BudgetStoreUnavailableException}, as with
 * {@code fail_closed}: there is nothing to divide.
 *
 * <p>Local reservations are exact ({@link InMemoryBudgetStore}, with the share as the limit); settling one
 * adds its real cost to Redis as well, queued with the Redis store's waiting settles and added once however
 * often it is retried. Redis reservations made before the outage settle as always. Recovery is automatic:
 * the first heartbeat Redis answers moves the local reservations still open into Redis (reserved without a
 * limit check: they were within this instance's share, and their settles then settle them there), sends every
 * waiting settle and add, drops the allowances, and new reservations go to Redis again. Until that beat,
 * reservations stay local, so a Redis that hangs costs one timeout, not one per request.
 *
 * <p>Local reservation ids are negative (counting up from {@link Long#MIN_VALUE}); Redis's are positive.
 * Threading: the mode is switched under {@link #lock}'s write lock and local reservations are made under its
 * read lock, so none is made in an outage that is being closed.
 */
public final class OutageTolerantBudgetStore implements BudgetStore, InstanceHeartbeat.Participant {

    private static final Logger LOG = LoggerFactory.getLogger(OutageTolerantBudgetStore.class);
    /** The limit a local reservation is moved into Redis with: it was checked against this instance's share. */
    private static final Money UNCHECKED = new Money(Long.MAX_VALUE);
    /** A budget not used for this long is no longer re-read each beat (and has no share in an outage). */
    static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final RedisBudgetStore redis;
    private final InstanceHeartbeat heartbeat;
    private final Clock clock;
    private final ConcurrentHashMap<KeyDay, Reading> readings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Hold> holds = new ConcurrentHashMap<>();
    private final AtomicLong localIds = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong localReservations = new AtomicLong();
    private final AtomicLong localRefusals = new AtomicLong();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Null while budgets are in Redis; written under the write lock. */
    private volatile Outage outage;

    private OutageTolerantBudgetStore(RedisBudgetStore redis, InstanceHeartbeat heartbeat, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code redis}, falling back to local allowances while it cannot be reached; kept in step by {@code heartbeat}. */
    public static OutageTolerantBudgetStore over(RedisBudgetStore redis, InstanceHeartbeat heartbeat, Clock clock) {
        OutageTolerantBudgetStore store = new OutageTolerantBudgetStore(redis, heartbeat, clock);
        heartbeat.join(store);
        return store;
    }

    @Override
    public Optional<Reservation> tryReserve(String key, LocalDate day, Money amount, Money limit) {
        Objects.requireNonNull(limit, "limit");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("negative reservation " + amount);
        }
        KeyDay budget = new KeyDay(key, day);
        while (true) {
            if (outage == null) {
                try {
                    RedisBudgetStore.Reply reply = redis.reserve(key, day, amount, limit);
                    read(budget, reply.committed());
                    return reply.reservation();
                } catch (BudgetStoreUnavailableException e) {
                    lost(e);
                }
            }
            lock.readLock().lock();
            try {
                Outage o = outage;
                if (o != null) {
                    return reserveLocally(o, budget, amount, limit);
                }
            } finally {
                lock.readLock().unlock();
            }
            // Redis came back meanwhile: ask it
        }
    }

    @Override
    public void settle(Reservation reservation, Money actual) {
        if (actual.isNegative()) {
            throw new IllegalArgumentException("negative cost " + actual);
        }
        if (reservation.id() >= 0) {
            redis.settle(reservation, actual);
            return;
        }
        Hold hold = holds.remove(reservation.id());
        if (hold != null) {
            hold.settle(actual);
        }
    }

    /** During an outage: what this instance last read, plus what it committed locally since. */
    @Override
    public Money committed(String key, LocalDate day) {
        KeyDay budget = new KeyDay(key, day);
        while (true) {
            if (outage == null) {
                try {
                    Money committed = redis.committed(key, day);
                    read(budget, committed);
                    return committed;
                } catch (BudgetStoreUnavailableException e) {
                    lost(e);
                }
            }
            lock.readLock().lock();
            try {
                Outage o = outage;
                if (o != null) {
                    return reading(budget).committed.plus(o.allowances.committed(key, day));
                }
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    /** Whether Redis answers now. */
    @Override
    public boolean available() {
        return redis.available();
    }

    /** Local while serving from allowances, or while Redis is away and a request would be; unavailable only without N. */
    @Override
    public State state() {
        if (outage != null) {
            return State.LOCAL;
        }
        if (redis.available()) {
            return State.UP;
        }
        return heartbeat.instances() > 0 ? State.LOCAL : State.UNAVAILABLE;
    }

    /** Whether reservations are made locally now. */
    public boolean local() {
        return outage != null;
    }

    /** Reservations granted from local allowances, since start. */
    public long localReservations() {
        return localReservations.get();
    }

    /** Reservations refused because this instance's share of a budget was spent, since start. */
    public long localRefusals() {
        return localRefusals.get();
    }

    /** N, as the heartbeat last counted it (0 before Redis first answered). */
    public int instances() {
        return heartbeat.instances();
    }

    /** The Redis store underneath, for its own metrics. */
    public RedisBudgetStore shared() {
        return redis;
    }

    @Override
    public void resync() {
        if (outage != null) {
            lock.writeLock().lock();
            try {
                Outage o = outage;
                if (o != null) {
                    for (Hold hold : holds.values()) {
                        hold.moveToRedis();
                    }
                    // after the moves: every add of a local reservation settled before its move is queued by now
                    if (!redis.flushPending()) {
                        throw new BudgetStoreUnavailableException("Redis stopped answering while waiting settles were sent", null);
                    }
                    outage = null;
                    LOG.info("Redis answers again: budgets are shared again ({} reservations were made locally and {} refused"
                            + " since start)", localReservations.get(), localRefusals.get());
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
        refresh();
    }

    @Override
    public void lost() {
        goLocal();
    }

    @Override
    public void close() {
        redis.close();
    }

    /** Called with the read lock held, during an outage. */
    private Optional<Reservation> reserveLocally(Outage o, KeyDay budget, Money amount, Money limit) {
        Reading reading = reading(budget);
        Money share = o.shares.computeIfAbsent(budget, b -> {
            long left = Math.max(0, limit.picos() - reading.committed.picos());
            return new Money(left / o.instances);
        });
        Optional<Reservation> local = o.allowances.tryReserve(budget.key(), budget.day(), amount, share);
        if (local.isEmpty()) {
            localRefusals.incrementAndGet();
            return Optional.empty();
        }
        long id = localIds.getAndIncrement();
        holds.put(id, new Hold(id, local.get(), o.allowances));
        localReservations.incrementAndGet();
        return Optional.of(new Reservation(budget.key(), budget.day(), amount, id));
    }

    /** This instance's last reading of {@code budget}; none means nothing to divide, so the request is refused. */
    private Reading reading(KeyDay budget) {
        Reading reading = readings.get(budget);
        if (reading == null) {
            throw new BudgetStoreUnavailableException("Redis cannot be reached and this instance had not read this budget"
                    + " before it went away, so it has no share of it to spend", null);
        }
        reading.usedAt = clock.millis();
        return reading;
    }

    private void read(KeyDay budget, Money committed) {
        Reading reading = readings.computeIfAbsent(budget, b -> new Reading());
        reading.committed = committed;
        reading.usedAt = clock.millis();
    }

    /** Re-reads every budget used in the last day (forgetting the others), so readings are at most a beat old. */
    private void refresh() {
        long forgetBefore = clock.millis() - FORGET_AFTER.toMillis();
        readings.values().removeIf(r -> r.usedAt < forgetBefore);
        redis.committed(List.copyOf(readings.keySet())).forEach((budget, committed) -> {
            Reading reading = readings.get(budget);
            if (reading != null) {
                reading.committed = committed;
            }
        });
    }

    private void lost(BudgetStoreUnavailableException e) {
        if (!goLocal()) {
            throw e;
        }
    }

    /** Starts serving locally if N is known; whether it does. */
    private boolean goLocal() {
        int n = heartbeat.instances();
        if (n == 0) {
            return false;
        }
        lock.writeLock().lock();
        try {
            if (outage == null) {
                outage = new Outage(n);
                LOG.warn("Redis cannot be reached: budgets are served from local allowances, this instance's 1/{} of what"
                        + " each had left when last read, until Redis answers again", n);
            }
        } finally {
            lock.writeLock().unlock();
        }
        return true;
    }

    /** What this instance last read of one budget: its committed total, and when a request last asked about it. */
    private static final class Reading {
        volatile Money committed = Money.ZERO;
        volatile long usedAt;
    }

    /** One outage: N as counted before it, each budget's share (fixed at first use) and what was reserved of it. */
    private static final class Outage {
        final int instances;
        final ConcurrentHashMap<KeyDay, Money> shares = new ConcurrentHashMap<>();
        final InMemoryBudgetStore allowances = new InMemoryBudgetStore();

        Outage(int instances) {
            this.instances = instances;
        }
    }

    /** A local reservation, settled locally (and added to Redis), or in Redis once moved there. */
    private final class Hold {
        private final long id;
        private final Reservation local;
        private final InMemoryBudgetStore allowances;
        // guarded by this
        private Reservation moved;
        private boolean settled;

        Hold(long id, Reservation local, InMemoryBudgetStore allowances) {
            this.id = id;
            this.local = local;
            this.allowances = allowances;
        }

        synchronized void settle(Money actual) {
            settled = true;
            if (moved != null) {
                redis.settle(moved, actual);
                return;
            }
            allowances.settle(local, actual);
            redis.add(new KeyDay(local.key(), local.day()), actual, heartbeat.id() + ":" + id);
        }

        /** Redis is back and this reservation is still open: hold its amount there, so what is left there is right. */
        synchronized void moveToRedis() {
            if (settled || moved != null) {
                return;
            }
            moved = redis.reserve(local.key(), local.day(), local.amount(), UNCHECKED).reservation()
                    .orElseThrow(() -> new IllegalStateException("Redis refused to hold a local reservation without a limit"));
        }
    }
}
