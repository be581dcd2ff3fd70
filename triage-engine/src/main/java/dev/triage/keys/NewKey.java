package dev.triage.keys;

import dev.triage.chat.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code triage keys create} asks for; see {@link VirtualKey} for each field. A key that could not be
 * stored and read back as given is refused here, with an {@link IllegalArgumentException} that says why.
 */
public record NewKey(String name, String team, Money budget, KeyPeriod period, Set<String> models, Set<String> routes,
                     Integer rpm, Integer tpm, Instant expiresAt) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int TEAM_CHARS = 64;

    public NewKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(period, "period");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key's name is 1 to 64 letters, digits, '_', '.' or '-', starting with a "
                    + "letter or digit; got '" + name + "'");
        }
        if (team != null && (team.isBlank() || team.length() > TEAM_CHARS || team.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("a team is 1 to " + TEAM_CHARS + " characters, not blank, without control characters");
        }
        if (budget != null && budget.isNegative()) {
            throw new IllegalArgumentException("a budget cannot be negative, got " + budget);
        }
        if (rpm != null && rpm < 1 || tpm != null && tpm < 1) {
            throw new IllegalArgumentException("rpm and tpm are at least 1, got rpm " + rpm + ", tpm " + tpm);
        }
        models = Set.copyOf(models);
        routes = Set.copyOf(routes);
        // The store keeps each list as one comma-separated text.
        Stream.concat(models.stream(), routes.stream()).filter(id -> id.isEmpty() || id.contains(",")).findFirst()
                .ifPresent(id -> {
                    throw new IllegalArgumentException("a model or route name cannot be empty or hold a comma, got '" + id + "'");
                });
    }
}
