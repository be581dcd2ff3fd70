package dev.triage.budget;

import dev.triage.chat.Money;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A budget crossed one of its alert thresholds.
 *
 * @param budget    the budget: {@code ROUTE/TIER} for a tier, {@code key:NAME} for a virtual key
 * @param kind      {@code tier} or {@code key}
 * @param period    the first day of the budget's period (the day, or a key's month)
 * @param threshold the share of the limit crossed, in percent (80, 100)
 * @param committed spent and reserved in the period when it was noticed
 * @param limit     the budget's limit
 * @param at        when it was noticed
 */
public record BudgetAlert(String budget, String kind, LocalDate period, int threshold, Money committed, Money limit, Instant at) {
}
