package dev.triage.budget;

import dev.triage.chat.Money;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Where daily spend is kept, atomically. In memory by default ({@link InMemoryBudgetStore}); with
 * {@code storage.redis} a Redis store shares budgets between gateway instances and keeps them across
 * restarts.
 *
 * <p>A request first reserves its worst-case cost; the reservation succeeds only if it fits: the key's
 * committed amount for the day (settled spend plus open reservations) plus the reservation is at most
 * the limit. A request whose worst case alone exceeds what is left is refused before anything is spent,
 * and concurrent requests cannot overshoot the budget together: spend passes the limit only where a
 * call costs more than its reserved worst case (which the worst case is built never to allow). After the
 * call the reservation is settled to the real cost.
 */
public interface BudgetStore extends AutoCloseable {

    /**
     * Reserves {@code amount} for {@code key} on {@code day} if its committed amount is below {@code limit}
     * and, with {@code amount} added, at most {@code limit}.
     *
     * @throws BudgetStoreUnavailableException when a shared store cannot be asked; nothing was reserved
     */
    Optional<Reservation> tryReserve(String key, LocalDate day, Money amount, Money limit);

    /**
     * Replaces a reservation by the real cost (which may be zero). Settling twice has no further effect.
     * Never throws for an unreachable store: a shared store keeps the settle and retries it.
     */
    void settle(Reservation reservation, Money actual);

    /**
     * Settled spend plus open reservations of {@code key} on {@code day}.
     *
     * @throws BudgetStoreUnavailableException when a shared store cannot be asked
     */
    Money committed(String key, LocalDate day);

    /** Whether the store answers now (always, in memory); for {@code /readyz}. */
    default boolean available() {
        return true;
    }

    /** What {@code /readyz} says of the store: up, unavailable, or serving budgets from local allowances. */
    default State state() {
        return available() ? State.UP : State.UNAVAILABLE;
    }

    /** Releases connections; the in-memory store holds none. */
    @Override
    default void close() {
    }

    /** How budgeted requests are served now. */
    enum State {
        /** The store answers (always, in memory): budgets are enforced by it. */
        UP,
        /** A shared store cannot be reached: budgeted requests are refused. */
        UNAVAILABLE,
        /**
         * A shared store cannot be reached and budgeted requests are served from this instance's local
         * allowances ({@code storage.redis_outage: allow_local}).
         */
        LOCAL
    }

    /** A reserved amount, to be settled once. */
    record Reservation(String key, LocalDate day, Money amount, long id) {
    }
}
