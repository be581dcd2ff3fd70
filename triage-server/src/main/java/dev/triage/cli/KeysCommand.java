package dev.triage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.OnDemandEmbedder;
import dev.triage.chat.Money;
import dev.triage.config.StorageConfig;
import dev.triage.config.TriageConfig;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeyStore;
import dev.triage.keys.NewKey;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage keys}: virtual keys in the configured ledger database. A key's secret is printed once,
 * alone on the last line of stdout, when it is created or rotated; it is stored only as a salted hash.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list, revoke and rotate virtual keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class, KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

    /** Injected by tests; the system's otherwise. */
    static Clock clock = Clock.systemUTC();
    static Map<String, String> env = System.getenv();

    @Override
    public void run() {
        System.err.println("triage keys: name a subcommand: create, list, revoke or rotate (triage keys --help)");
    }

    /** Opens the config's ledger and runs {@code work} on its key store; exit 2 for a config that does not load. */
    static int withKeys(ConfigOption config, PrintStream err, Function<TriageConfig, Function<KeyStore, Integer>> work) {
        try (OnDemandEmbedder embedder = ConfigOption.embedders.get()) {
            TriageConfig cfg = config.loadOrReport(env, err, embedder);
            if (cfg == null) {
                return 2;
            }
            StorageConfig storage = cfg.storage();
            try (JdbcLedger ledger = JdbcLedger.open(storage.ledger(),
                    LedgerOptions.defaults().withCredentials(storage.ledgerUser(), storage.ledgerPassword()))) {
                return work.apply(cfg).apply(ledger.keys());
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key; the key itself is printed alone on the last line (and never again).")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--name", required = true, description = "unique name: letters, digits, '_', '.', '-' (1-64)")
        String name;
        @Option(names = "--team", description = "the team its spend is reported under")
        String team;
        @Option(names = "--budget-usd", description = "what it may spend per period, in USD (at most 6 decimals)")
        String budget;
        @Option(names = "--period", defaultValue = "day", description = "day or month (UTC) (default: ${DEFAULT-VALUE})")
        String period;
        @Option(names = "--models", split = ",", description = "model ids it may name (with --routes: all it may name)")
        List<String> models = new ArrayList<>();
        @Option(names = "--routes", split = ",", description = "route names it may name")
        List<String> routes = new ArrayList<>();
        @Option(names = "--rpm", description = "requests per minute")
        Integer rpm;
        @Option(names = "--tpm", description = "tokens (prompt + answer) per minute")
        Integer tpm;
        @Option(names = "--expires", description = "when it stops: an ISO date (its start, UTC) or instant")
        String expires;
        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() {
            return withKeys(config, err, cfg -> keys -> {
                NewKey key;
                try {
                    key = new NewKey(name, team, budget == null ? null : usd(budget), KeyPeriod.parse(period),
                            known(models, cfg.catalog().all().stream().map(m -> m.id()).toList(), "model"),
                            known(routes, cfg.routes().keySet(), "route"), rpm, tpm, expires == null ? null : future(expires));
                    KeyStore.Issued issued = keys.create(key, clock.instant());
                    out.println("created key '" + issued.key().name() + "' (" + issued.key().prefix() + "…): " + describe(issued.key()));
                    out.println("the key is shown once; store it now:");
                    out.println(issued.secret());
                    return 0;
                } catch (IllegalArgumentException e) {
                    err.println("triage keys create: " + e.getMessage());
                    return 2;
                }
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Option(names = "--json", description = "as JSON")
        boolean json;
        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() {
            return withKeys(config, err, cfg -> keys -> {
                Instant now = clock.instant();
                List<VirtualKey> all = keys.list();
                if (json) {
                    ObjectMapper mapper = new ObjectMapper();
                    ArrayNode list = mapper.createArrayNode();
                    for (VirtualKey k : all) {
                        ObjectNode n = list.addObject();
                        n.put("name", k.name());
                        n.put("team", k.team());
                        n.put("prefix", k.prefix());
                        n.put("budget_usd", k.budget() == null ? null : k.budget().toUsdString());
                        n.put("period", k.period().wireName());
                        k.models().stream().sorted().forEach(n.putArray("models")::add);
                        k.routes().stream().sorted().forEach(n.putArray("routes")::add);
                        n.put("rpm", k.rpm());
                        n.put("tpm", k.tpm());
                        n.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
                        n.put("created_at", k.createdAt().toString());
                        n.put("status", status(k, now));
                    }
                    out.println(list.toPrettyString());
                } else if (all.isEmpty()) {
                    out.println("no keys yet: triage keys create --name NAME");
                } else {
                    out.printf("%-24s %-10s %-14s %-8s %s%n", "name", "status", "key", "team", "limits");
                    for (VirtualKey k : all) {
                        out.printf("%-24s %-10s %-14s %-8s %s%n", k.name(), status(k, now), k.prefix() + "…",
                                k.team() == null ? "-" : k.team(), describe(k));
                    }
                }
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Parameters(paramLabel = "NAME")
        String name;
        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() {
            return withKeys(config, err, cfg -> keys -> {
                if (!keys.revoke(name, clock.instant())) {
                    err.println("triage keys revoke: no active key named '" + name + "'");
                    return 2;
                }
                out.println("revoked key '" + name + "' (gateways stop taking it within 5 seconds)");
                return 0;
            });
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give a key a new secret, printed alone on the last line; the old one works for the grace period.")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--grace-minutes", defaultValue = "60", description = "how long the old secret keeps working (default: ${DEFAULT-VALUE})")
        long graceMinutes;
        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() {
            if (graceMinutes < 0 || graceMinutes > 60L * 24 * 30) {
                err.println("triage keys rotate: --grace-minutes must be 0 to 43200 (30 days)");
                return 2;
            }
            return withKeys(config, err, cfg -> keys -> {
                try {
                    KeyStore.Issued issued = keys.rotate(name, Duration.ofMinutes(graceMinutes), clock.instant());
                    out.println("rotated key '" + name + "': the old secret works for " + graceMinutes + " more minutes; the new one is shown once:");
                    out.println(issued.secret());
                    return 0;
                } catch (IllegalArgumentException e) {
                    err.println("triage keys rotate: " + e.getMessage());
                    return 2;
                }
            });
        }
    }

    static String status(VirtualKey k, Instant now) {
        if (k.revokedAt() != null) {
            return "revoked";
        }
        return k.active(now) ? "active" : "expired";
    }

    static String describe(VirtualKey k) {
        List<String> parts = new ArrayList<>();
        parts.add(k.budget() == null ? "no budget" : "$" + k.budget().toUsdString() + "/" + k.period().wireName());
        if (!k.routes().isEmpty()) {
            parts.add("routes " + String.join(",", new TreeSet<>(k.routes())));
        }
        if (!k.models().isEmpty()) {
            parts.add("models " + String.join(",", new TreeSet<>(k.models())));
        }
        if (k.routes().isEmpty() && k.models().isEmpty()) {
            parts.add("any model or route");
        }
        if (k.rpm() != null) {
            parts.add(k.rpm() + " rpm");
        }
        if (k.tpm() != null) {
            parts.add(k.tpm() + " tpm");
        }
        if (k.expiresAt() != null) {
            parts.add("expires " + k.expiresAt());
        }
        return String.join(", ", parts);
    }

    private static Money usd(String text) {
        if (!text.matches("\\d{1,12}(\\.\\d{1,6})?")) {
            throw new IllegalArgumentException("--budget-usd must be a USD amount ≥ 0 with at most 6 decimals, got '" + text + "'");
        }
        return Money.ofUsd(text);
    }

    private static Set<String> known(List<String> given, java.util.Collection<String> known, String what) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : given) {
            String id = g.strip();
            if (!known.contains(id)) {
                throw new IllegalArgumentException("unknown " + what + " '" + id + "' (this config's " + what + "s: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
            out.add(id);
        }
        return out;
    }

    private static Instant future(String text) {
        Instant at;
        try {
            at = text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--expires must be an ISO date (2027-01-31) or instant (2027-01-31T12:00:00Z), got '" + text + "'");
        }
        if (!at.isAfter(clock.instant())) {
            throw new IllegalArgumentException("--expires must be in the future, got " + at);
        }
        return at;
    }
}
