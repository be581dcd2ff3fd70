package dev.triage.budget;

import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.chat.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Daily budgets per key (a tier, a route), over a {@link BudgetStore}.
 *
 * <p>A day runs from midnight to midnight in the configured zone, as read from the injected clock;
 * on a day when clocks change it is 23 or 25 hours long. A reservation belongs to the day it was
 * made on: one made at 23:59 and settled after midnight is settled into the day before, so a day's
 * spend is final once its last reservations are settled and the new day starts at zero.
 */
public final class DailyBudgets {

    /** The limit passed to the store for unlimited keys: never reached by their zero reservations, so spend is still tracked. */
    private static final Money UNLIMITED = new Money(Long.MAX_VALUE);
    /** The id of an unlimited key's reservation made while the store was unreachable: settling it is skipped. */
    private static final long UNTRACKED = -1;

    private final BudgetStore store;
    private final Clock clock;
    private final ZoneId zone;

    public DailyBudgets(BudgetStore store, Clock clock, ZoneId zone) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The current date in the budgets' zone. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /**
     * Reserves {@code worstCase} on today's budget of {@code key}, granted when it fits in what is left of
     * {@code dailyLimit} (committed spend today plus {@code worstCase} at most the limit). A null limit
     * means unlimited: always granted, and counted once settled (nothing is held meanwhile, so no worst
     * case, however large, can crowd out the others). Empty when the budget cannot take it.
     */
    public Optional<Reservation> reserve(String key, Money worstCase, Money dailyLimit) {
        if (dailyLimit != null) {
            return store.tryReserve(key, today(), worstCase, dailyLimit);
        }
        LocalDate day = today();
        try {
            return store.tryReserve(key, day, Money.ZERO, UNLIMITED);
        } catch (BudgetStoreUnavailableException e) {
            // nothing to enforce: the request goes ahead, its spend is in the ledger but not in the store's tally
            return Optional.of(new Reservation(key, day, Money.ZERO, UNTRACKED));
        }
    }

    /** Replaces the reservation by the real cost, on the day it was reserved; settling twice has no effect. */
    public void settle(Reservation reservation, Money actual) {
        if (reservation.id() != UNTRACKED) {
            store.settle(reservation, actual);
        }
    }

    /** Settled spend plus open reservations of {@code key} today. */
    public Money spentToday(String key) {
        return store.committed(key, today());
    }

    /**
     * When the current day ends: the next midnight in the zone, or the first instant of the next day
     * where a clock change skips midnight.
     */
    public Instant nextReset() {
        return nextReset(clock.instant());
    }

    /** Time left until the budgets reset, e.g. for a {@code Retry-After} header. */
    public Duration untilReset() {
        Instant now = clock.instant();
        return Duration.between(now, nextReset(now));
    }

    private Instant nextReset(Instant now) {
        return LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
    }
}
