package dev.triage.report;

import dev.triage.chat.Money;
import java.util.Objects;

/**
 * Ledger rows the database refused in a period (by the time of the attempt), set aside in its
 * dead-letter store: money that was spent but is in none of the report's sums.
 *
 * @param entries attempts refused
 * @param texts   captured texts refused (they cost nothing)
 * @param cost    what the refused attempts cost
 */
public record DeadLetterRow(long entries, long texts, Money cost) {

    public static final DeadLetterRow NONE = new DeadLetterRow(0, 0, Money.ZERO);

    public DeadLetterRow {
        Objects.requireNonNull(cost, "cost");
    }

    public boolean isEmpty() {
        return entries == 0 && texts == 0;
    }
}
