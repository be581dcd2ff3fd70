package dev.triage.keys;

import dev.triage.budget.BudgetStore;
import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.chat.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * Virtual keys' budgets over the same {@link BudgetStore} as the routes' (so with Redis they hold across
 * instances exactly as route budgets do): each key's spend is counted per UTC day or calendar month, under
 * the period's first day.
 */
public final class KeyBudgets {

    private final BudgetStore store;
    private final Clock clock;

    public KeyBudgets(BudgetStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reserves {@code worstCase} on the key's budget for the current period if it fits; empty if not.
     *
     * @throws IllegalArgumentException for a key without a budget: there is nothing to reserve on
     * @throws dev.triage.budget.BudgetStoreUnavailableException when a shared store cannot be asked
     */
    public Optional<Reservation> reserve(VirtualKey key, Money worstCase) {
        if (key.budget() == null) {
            throw new IllegalArgumentException("key '" + key.name() + "' has no budget");
        }
        return store.tryReserve(key.budgetKey(), periodStart(key), worstCase, key.budget());
    }

    /** Replaces the reservation by the real cost; settling twice has no effect. */
    public void settle(Reservation reservation, Money actual) {
        store.settle(reservation, actual);
    }

    /** Spent and reserved in the key's current period. */
    public Money spent(VirtualKey key) {
        return store.committed(key.budgetKey(), periodStart(key));
    }

    /** Time until the key's budget starts again, for {@code Retry-After}. */
    public Duration untilReset(VirtualKey key) {
        LocalDate next = key.period().next(today());
        return Duration.between(clock.instant(), next.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The first day of the key's current period. */
    public LocalDate periodStart(VirtualKey key) {
        return key.period().start(today());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
