package dev.triage.keys;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A virtual key as stored: what it may do, never its secret.
 *
 * @param name      unique, chosen by the operator ({@code triage keys create --name})
 * @param team      the team it is billed to in reports, or null
 * @param prefix    the visible start of the current secret ({@code tk_AbCd1234}), to recognise a key in lists
 * @param budget    what the key may spend per {@code period}, or null for no budget
 * @param period    how often the budget starts again (UTC)
 * @param models    model ids a request may name in {@code model}; empty with empty {@code routes}: any
 * @param routes    route names a request may name in {@code model}
 * @param rpm       requests per minute, or null for no limit
 * @param tpm       tokens (prompt + answer) per minute, or null for no limit
 * @param expiresAt when the key stops working, or null
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or null
 */
public record VirtualKey(String name, String team, String prefix, Money budget, KeyPeriod period, Set<String> models,
                         Set<String> routes, Integer rpm, Integer tpm, Instant expiresAt, Instant createdAt, Instant revokedAt) {

    public VirtualKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(period, "period");
        models = Set.copyOf(models);
        routes = Set.copyOf(routes);
    }

    /** Whether a request may name {@code model} (a route name when {@code isRoute}). */
    public boolean allows(String model, boolean isRoute) {
        if (models.isEmpty() && routes.isEmpty()) {
            return true;
        }
        return isRoute ? routes.contains(model) : models.contains(model);
    }

    /** Neither revoked nor expired at {@code now}. */
    public boolean active(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** The budget store key of this key's spend. */
    public String budgetKey() {
        return "key:" + name;
    }
}
