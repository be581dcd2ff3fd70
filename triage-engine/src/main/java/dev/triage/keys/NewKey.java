package dev.triage.keys;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.Set;

/** What {@code triage keys create} asks for; see {@link VirtualKey} for each field. */
public record NewKey(String name, String team, Money budget, KeyPeriod period, Set<String> models, Set<String> routes,
                     Integer rpm, Integer tpm, Instant expiresAt) {

    public NewKey {
        models = Set.copyOf(models);
        routes = Set.copyOf(routes);
    }
}
