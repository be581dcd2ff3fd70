package dev.triage.budget;

import dev.triage.chat.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Budgets of one gateway instance, held in memory.
 *
 * <p>Lock-free on the request path: each key and day has its own committed counter, raised by a
 * compare-and-set loop only when the reservation fits under the limit, and its own table of open reservations,
 * from which a settle removes the reservation exactly once. Only the first request of a key on a new
 * day takes a (per-key) lock.
 *
 * <p>Each key keeps its newest {@value #DAYS_KEPT} days; older days are forgotten (committed reads
 * zero, reserving on them is refused, settling a reservation made on them has no effect), so memory
 * is bounded by the number of keys. Keys come from configuration (tiers, routes), so they are few.
 */
public final class InMemoryBudgetStore implements BudgetStore {

    /** Today, yesterday (reservations open across midnight) and one spare for zones a day apart. */
    static final int DAYS_KEPT = 3;

    private final ConcurrentHashMap<String, KeyDays> keys = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public Optional<Reservation> tryReserve(String key, LocalDate day, Money amount, Money limit) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(limit, "limit");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("negative reservation " + amount);
        }
        DayState state = keys.computeIfAbsent(key, k -> new KeyDays()).dayOrAdd(day);
        if (state == null || !state.reserveWithin(amount.picos(), limit.picos())) {
            return Optional.empty();
        }
        long id = ids.incrementAndGet();
        // Counted before it is recorded as open: harmless, since nobody can settle an id not yet returned.
        state.open.put(id, amount.picos());
        return Optional.of(new Reservation(key, day, amount, id));
    }

    /**
     * Replaces the reservation by {@code actual}, which may exceed the reservation when the worst case
     * was underestimated. The amount released is the one this store reserved, not the record's.
     */
    @Override
    public void settle(Reservation reservation, Money actual) {
        if (actual.isNegative()) {
            throw new IllegalArgumentException("negative cost " + actual);
        }
        KeyDays days = keys.get(reservation.key());
        DayState state = days == null ? null : days.day(reservation.day());
        if (state == null) {
            return;
        }
        Long reserved = state.open.remove(reservation.id());
        if (reserved != null) {
            state.committed.addAndGet(Math.subtractExact(actual.picos(), reserved));
        }
    }

    /**
     * Adds spend that happened before this store existed (read back from the ledger at start), so a
     * restart does not give a day's budget back. A day older than the days kept is ignored.
     */
    public void add(String key, LocalDate day, Money spent) {
        if (spent.isNegative()) {
            throw new IllegalArgumentException("negative spend " + spent);
        }
        DayState state = keys.computeIfAbsent(key, k -> new KeyDays()).dayOrAdd(day);
        if (state != null) {
            state.committed.addAndGet(spent.picos());
        }
    }

    @Override
    public Money committed(String key, LocalDate day) {
        KeyDays days = keys.get(key);
        DayState state = days == null ? null : days.day(day);
        return state == null ? Money.ZERO : new Money(state.committed.get());
    }

    /** Number of key-and-day states held, for tests of pruning. */
    int dayStates() {
        return keys.values().stream().mapToInt(k -> k.days.size()).sum();
    }

    /** Open (unsettled) reservations held, for tests. */
    int openReservations() {
        return keys.values().stream().flatMap(k -> k.days.stream()).mapToInt(d -> d.open.size()).sum();
    }

    /** The days of one key, newest first; replaced whole (copy on write) since days change rarely. */
    private static final class KeyDays {
        private volatile List<DayState> days = List.of();

        DayState day(LocalDate day) {
            for (DayState state : days) {
                if (state.day.equals(day)) {
                    return state;
                }
            }
            return null;
        }

        /** The state of {@code day}, created if needed; null if the day is older than the days kept. */
        DayState dayOrAdd(LocalDate day) {
            DayState state = day(day);
            if (state != null) {
                return state;
            }
            synchronized (this) {
                state = day(day);
                if (state != null) {
                    return state;
                }
                List<DayState> current = days;
                if (current.size() >= DAYS_KEPT && day.isBefore(current.getLast().day)) {
                    return null;
                }
                state = new DayState(day);
                List<DayState> next = new ArrayList<>(current);
                next.add(state);
                next.sort(Comparator.comparing((DayState d) -> d.day).reversed());
                days = List.copyOf(next.subList(0, Math.min(DAYS_KEPT, next.size())));
                return state;
            }
        }
    }

    private static final class DayState {
        final LocalDate day;
        /** Settled spend plus open reservations, in picodollars. */
        final AtomicLong committed = new AtomicLong();
        /** Open reservation id to the picodollars it holds. */
        final ConcurrentHashMap<Long, Long> open = new ConcurrentHashMap<>();

        DayState(LocalDate day) {
            this.day = day;
        }

        /** Adds {@code amount} if the budget is not spent and the committed total stays within {@code limit}. */
        boolean reserveWithin(long amount, long limit) {
            while (true) {
                long current = committed.get();
                // A spent budget refuses even a free call; committed is never negative, so limit - current cannot overflow.
                if (current >= limit || amount > limit - current) {
                    return false;
                }
                if (committed.compareAndSet(current, Math.addExact(current, amount))) {
                    return true;
                }
            }
        }
    }
}
