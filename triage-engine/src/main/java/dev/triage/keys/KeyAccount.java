package dev.triage.keys;

import java.util.Objects;

/** The virtual key a request came with, and the budgets its spend counts against. */
public record KeyAccount(VirtualKey key, KeyBudgets budgets) {

    public KeyAccount {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(budgets, "budgets");
    }
}
