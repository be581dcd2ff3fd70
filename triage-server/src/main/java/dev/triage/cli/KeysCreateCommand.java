package dev.triage.cli;

import dev.triage.app.OnDemandEmbedder;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeyStore.Issued;
import dev.triage.keys.NewKey;
import dev.triage.keys.VirtualKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage keys create}: issues a virtual key and prints it, once, alone on the last line. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Issue a virtual key. Prints a summary, then the key alone on the last line: it is shown this once.")
final class KeysCreateCommand extends KeysSubcommand {

    @Option(names = "--name", required = true,
            description = "unique name: 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")
    String name;

    @Option(names = "--team", description = "the team the key is billed to")
    String team;

    @Option(names = "--budget-usd", paramLabel = "USD", description = "what the key may spend per period, at most 6 decimals (default: no budget)")
    String budgetUsd;

    @Option(names = "--period", defaultValue = "day", description = "day or month: when the budget starts again, UTC (default: ${DEFAULT-VALUE})")
    String period;

    @Option(names = "--models", split = ",", paramLabel = "MODEL", description = "models of the config's catalog the key may name (with --routes; neither: any)")
    List<String> models;

    @Option(names = "--routes", split = ",", paramLabel = "ROUTE", description = "routes of the config the key may name")
    List<String> routes;

    @Option(names = "--rpm", description = "requests per minute at most (default: no limit)")
    Integer rpm;

    @Option(names = "--tpm", description = "tokens (prompt + answer) per minute at most (default: no limit)")
    Integer tpm;

    @Option(names = "--expires", paramLabel = "DATE",
            description = "when the key stops working: an ISO date (its start, UTC) or instant (2027-01-01T12:00:00Z)")
    String expires;

    @Override
    int run() {
        Instant now = clock.instant();
        NewKey key = new NewKey(name, team, budgetUsd == null ? null : budget(budgetUsd), period(period),
                models == null ? Set.of() : Set.copyOf(models), routes == null ? Set.of() : Set.copyOf(routes), rpm, tpm,
                expires == null ? null : expiry(expires, now));
        checkAgainstConfig(key);
        Issued issued = onKeys(keys -> keys.create(key, now));
        describe(issued.key());
        out.println(SHOWN_ONCE);
        out.println(issued.secret());
        return 0;
    }

    static Money budget(String usd) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(usd);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--budget-usd: expected an amount of US dollars such as 25 or 0.50, got '" + usd + "'");
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("--budget-usd cannot be negative, got " + usd);
        }
        if (amount.stripTrailingZeros().scale() > 6) {
            throw new IllegalArgumentException("--budget-usd may have at most 6 decimal places, got " + usd);
        }
        try {
            return Money.ofUsd(amount);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("--budget-usd cannot exceed 9223372 USD, got " + usd);
        }
    }

    private static KeyPeriod period(String text) {
        try {
            return KeyPeriod.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--period: " + e.getMessage());
        }
    }

    /** An ISO date (its start, UTC) or instant, after {@code now}. */
    static Instant expiry(String text, Instant now) {
        Instant at;
        try {
            at = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--expires: expected an ISO date (2027-01-01, from its start, UTC) or instant "
                    + "(2027-01-01T12:00:00Z), got '" + text + "'");
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("--expires must be in the future, got " + at + " (now " + now + ")");
        }
        return at;
    }

    /** Every model must be in the config's catalog and every route one of its routes. */
    private void checkAgainstConfig(NewKey key) {
        if (key.models().isEmpty() && key.routes().isEmpty()) {
            return;
        }
        TriageConfig cfg;
        try (OnDemandEmbedder embedder = ConfigOption.embedders.get()) {
            cfg = ConfigLoader.load(config, env, embedder);
        }
        PriceCatalog catalog = cfg.catalog();
        for (String model : new TreeSet<>(key.models())) {
            if (!catalog.contains(model)) {
                throw new IllegalArgumentException("--models: '" + model + "' is not a model of " + config
                        + (cfg.routes().containsKey(model) ? " (it is a route: give it in --routes)" : ""));
            }
        }
        for (String route : new TreeSet<>(key.routes())) {
            if (!cfg.routes().containsKey(route)) {
                throw new IllegalArgumentException("--routes: '" + route + "' is not a route of " + config
                        + (catalog.contains(route) ? " (it is a model: give it in --models)"
                        : " (its routes: " + String.join(", ", new TreeSet<>(cfg.routes().keySet())) + ")"));
            }
        }
    }

    private void describe(VirtualKey key) {
        out.println("Created key '" + key.name() + "'" + (key.team() == null ? "" : " for team '" + key.team() + "'") + ":");
        out.println("  budget    " + (key.budget() == null ? "none" : key.budget() + " per " + key.period().wireName() + " (UTC)"));
        if (key.models().isEmpty() && key.routes().isEmpty()) {
            out.println("  may call  any model or route");
        } else {
            out.println("  models    " + KeysListCommand.names(key.models(), "none"));
            out.println("  routes    " + KeysListCommand.names(key.routes(), "none"));
        }
        out.println("  rpm       " + (key.rpm() == null ? "no limit" : key.rpm()));
        out.println("  tpm       " + (key.tpm() == null ? "no limit" : key.tpm()));
        out.println("  expires   " + (key.expiresAt() == null ? "never" : key.expiresAt()));
        out.println("  prefix    " + key.prefix() + "…");
    }
}
