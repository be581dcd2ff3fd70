package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.chat.Money;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code triage keys} on a SQLite ledger named by a config in a temp directory. */
class KeysCommandTest {

    static final String KEY_SHAPE = "tk_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}";

    @TempDir
    Path dir;
    Path config;
    Path db;

    @BeforeEach
    void configWithOneRoute() throws Exception {
        db = dir.resolve("ledger.db");
        config = dir.resolve("triage.yaml");
        Files.writeString(config, """
                storage: {ledger: "sqlite:%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  cheap: {provider: sim, input_per_mtok: 1, output_per_mtok: 2}
                routes:
                  fast: {policy: cheapest, models: [cheap, gpt-4.1-mini]}
                """.formatted(db));
    }

    CliRun keys(String... args) {
        return CliRun.of(Stream.concat(Stream.of("keys"), Stream.of(args)).toArray(String[]::new));
    }

    CliRun create(String... args) {
        return keys(Stream.concat(Stream.of("create", "--config", config.toString()), Stream.of(args)).toArray(String[]::new));
    }

    static String lastLine(String out) {
        List<String> lines = out.lines().toList();
        return lines.getLast();
    }

    Optional<VirtualKey> authenticate(String secret, Instant at) {
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            return ledger.keys().authenticate(secret, at);
        }
    }

    List<VirtualKey> stored() {
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            return ledger.keys().list();
        }
    }

    @Test
    void createPrintsASummaryThenTheKeyAloneOnTheLastLine() {
        CliRun r = create("--name", "ci-bot", "--team", "ml platform", "--budget-usd", "25.125", "--period", "month",
                "--models", "cheap,gpt-4.1-mini", "--routes", "fast", "--rpm", "60", "--tpm", "100000",
                "--expires", "2999-01-01");

        assertThat(r.exit()).isZero();
        String secret = lastLine(r.out());
        assertThat(secret).matches(KEY_SHAPE);
        assertThat(r.out()).contains("Created key 'ci-bot' for team 'ml platform':")
                .contains("  budget    $25.125 per month (UTC)")
                .contains("  models    cheap,gpt-4.1-mini")
                .contains("  routes    fast")
                .contains("  rpm       60")
                .contains("  tpm       100000")
                .contains("  expires   2999-01-01T00:00:00Z")
                .contains("  prefix    " + secret.substring(0, 11) + "…")
                .contains(KeysSubcommand.SHOWN_ONCE);
        assertThat(r.out().indexOf(secret)).as("the secret is printed once").isEqualTo(r.out().lastIndexOf(secret));
        assertThat(r.err()).doesNotContain(secret);

        VirtualKey key = authenticate(secret, Instant.now()).orElseThrow();
        assertThat(key.name()).isEqualTo("ci-bot");
        assertThat(key.budget()).isEqualTo(new Money(25_125_000_000_000L));
        assertThat(key.period()).isEqualTo(KeyPeriod.MONTH);
        assertThat(key.models()).containsExactlyInAnyOrder("cheap", "gpt-4.1-mini");
        assertThat(key.routes()).containsExactly("fast");
        assertThat(key.rpm()).isEqualTo(60);
        assertThat(key.tpm()).isEqualTo(100_000);
        assertThat(key.expiresAt()).isEqualTo(Instant.parse("2999-01-01T00:00:00Z"));
    }

    @Test
    void aPlainKeyMayCallAnythingAndNeverExpires() {
        CliRun r = create("--name", "app", "--expires", "2999-06-01T12:30:00Z");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Created key 'app':").contains("  budget    none").contains("  may call  any model or route")
                .contains("  rpm       no limit").contains("  expires   2999-06-01T12:30:00Z");
        assertThat(authenticate(lastLine(r.out()), Instant.now()).orElseThrow().budget()).isNull();
    }

    @Test
    void listShowsEveryKeyWithItsStatusButNeverASecret() throws Exception {
        String ci = lastLine(create("--name", "ci-bot", "--team", "ml", "--budget-usd", "25", "--models", "cheap", "--rpm", "60").out());
        String old = lastLine(create("--name", "old-app").out());
        assertThat(keys("revoke", "--config", config.toString(), "old-app").exit()).isZero();

        CliRun table = keys("list", "--config", config.toString());

        assertThat(table.exit()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("NAME     TEAM  PREFIX        BUDGET   MODELS  ROUTES  RPM  TPM  EXPIRES  CREATED");
        assertThat(lines.get(1)).startsWith("ci-bot   ml    " + ci.substring(0, 11) + "…  $25/day  cheap   -       60   -    -   ")
                .endsWith("active");
        assertThat(lines.get(2)).startsWith("old-app  -     " + old.substring(0, 11) + "…  -        any     any     -    -    -   ")
                .endsWith("revoked");

        CliRun json = keys("list", "--config", config.toString(), "--json");
        JsonNode array = new ObjectMapper().readTree(json.out());
        assertThat(array).hasSize(2);
        assertThat(array.at("/0/name").asText()).isEqualTo("ci-bot");
        assertThat(array.at("/0/prefix").asText()).isEqualTo(ci.substring(0, 11));
        assertThat(array.at("/0/budget_usd").decimalValue()).isEqualByComparingTo("25");
        assertThat(json.out()).contains("\"budget_usd\" : 25,");
        assertThat(array.at("/0/period").asText()).isEqualTo("day");
        assertThat(array.at("/0/models/0").asText()).isEqualTo("cheap");
        assertThat(array.at("/0/rpm").asInt()).isEqualTo(60);
        assertThat(array.at("/0/tpm").isNull()).isTrue();
        assertThat(array.at("/0/status").asText()).isEqualTo("active");
        assertThat(array.at("/1/status").asText()).isEqualTo("revoked");
        assertThat(array.at("/1/revoked_at").isTextual()).isTrue();
        for (String secret : List.of(ci, old)) {
            assertThat(table.out() + table.err() + json.out() + json.err()).doesNotContain(secret).doesNotContain(secret.substring(12));
        }
    }

    @Test
    void jsonBudgetsArePlainDecimalsInUsd() {
        create("--name", "hundred", "--budget-usd", "100");
        create("--name", "micro", "--budget-usd", "0.000001");

        String json = keys("list", "--config", config.toString(), "--json").out();

        assertThat(json).contains("\"budget_usd\" : 100,").contains("\"budget_usd\" : 0.000001,");
    }

    @Test
    void listCallsAKeyPastItsExpiryExpired() {
        create("--name", "temp", "--expires", "2999-01-01");
        KeysListCommand list = new KeysListCommand();
        list.clock = Clock.fixed(Instant.parse("2999-01-01T00:00:00Z"), ZoneOffset.UTC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.out = new PrintStream(out, true, StandardCharsets.UTF_8);

        int exit = new CommandLine(list).execute("--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList().get(1)).contains("  2999-01-01T00:00:00Z  ").endsWith("expired");
    }

    @Test
    void anEmptyLedgerSaysSo() {
        assertThat(keys("list", "--config", config.toString()).out()).isEqualTo("No virtual keys yet: create one with triage keys create.\n");
        assertThat(keys("list", "--config", config.toString(), "--json").out().strip()).isEqualTo("[ ]");
    }

    @Test
    void revokeStopsTheKeyAndRefusesAKeyThatIsNotActive() {
        String secret = lastLine(create("--name", "app").out());

        CliRun r = keys("revoke", "--config", config.toString(), "app");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Revoked key 'app': its secrets stopped working at ");
        assertThat(authenticate(secret, Instant.now())).isEmpty();
        for (String name : List.of("app", "nobody")) {
            CliRun again = keys("revoke", "--config", config.toString(), name);
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).isEqualTo("triage keys revoke: there is no active key named '" + name + "'\n");
        }
    }

    @Test
    void rotatePrintsTheNewKeyLastAndTheOldOneWorksForTheGracePeriod() {
        String old = lastLine(create("--name", "app").out());

        CliRun r = keys("rotate", "--config", config.toString(), "app", "--grace-minutes", "30");

        assertThat(r.exit()).isZero();
        String fresh = lastLine(r.out());
        assertThat(fresh).matches(KEY_SHAPE).isNotEqualTo(old);
        assertThat(r.out()).startsWith("Rotated key 'app': its new secret starts " + fresh.substring(0, 11)
                + "; the previous one works until ").contains(" (30 min), then stops.");
        Instant now = Instant.now();
        assertThat(authenticate(fresh, now)).isPresent();
        assertThat(authenticate(old, now)).isPresent();
        assertThat(authenticate(old, now.plus(Duration.ofMinutes(31)))).isEmpty();
        assertThat(stored().getFirst().prefix()).isEqualTo(fresh.substring(0, 11));
    }

    @Test
    void rotatingWithoutGraceStopsTheOldKeyAtOnce() {
        String old = lastLine(create("--name", "app").out());

        CliRun r = keys("rotate", "--config", config.toString(), "app", "--grace-minutes", "0");

        assertThat(r.out()).contains("the previous one stopped working now.");
        assertThat(authenticate(old, Instant.now())).isEmpty();
        assertThat(authenticate(lastLine(r.out()), Instant.now())).isPresent();
    }

    @Test
    void rotateRefusesAnUnknownKeyAndABadGracePeriod() {
        create("--name", "app");
        List<VirtualKey> before = stored();

        CliRun unknown = keys("rotate", "--config", config.toString(), "nobody");
        CliRun negative = keys("rotate", "--config", config.toString(), "app", "--grace-minutes", "-1");

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("triage keys rotate: there is no active key named 'nobody'\n");
        assertThat(unknown.out()).isEmpty();
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).isEqualTo("triage keys rotate: --grace-minutes must be 0 to 525600, got -1\n");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void everyBadArgumentIsOneLineOnStderrExitTwoAndStoresNothing() {
        Map<List<String>, String> refusals = Map.ofEntries(
                Map.entry(List.of("--name", "-app"), "a key's name is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit; got '-app'"),
                Map.entry(List.of("--name", "x".repeat(65)), "a key's name is 1 to 64 letters"),
                Map.entry(List.of("--name", "has space"), "a key's name is 1 to 64 letters"),
                Map.entry(List.of("--name", "app", "--team", " "), "a team is 1 to 64 characters, not blank, without control characters"),
                Map.entry(List.of("--name", "app", "--budget-usd", "-1"), "--budget-usd cannot be negative, got -1"),
                Map.entry(List.of("--name", "app", "--budget-usd", "0.0000001"), "--budget-usd may have at most 6 decimal places, got 0.0000001"),
                Map.entry(List.of("--name", "app", "--budget-usd", "ten"), "--budget-usd: expected an amount of US dollars such as 25 or 0.50, got 'ten'"),
                Map.entry(List.of("--name", "app", "--budget-usd", "10000000"), "--budget-usd cannot exceed 9223372 USD, got 10000000"),
                Map.entry(List.of("--name", "app", "--period", "week"), "--period: expected day or month, got 'week'"),
                Map.entry(List.of("--name", "app", "--rpm", "0"), "rpm and tpm are at least 1, got rpm 0, tpm null"),
                Map.entry(List.of("--name", "app", "--tpm", "-3"), "rpm and tpm are at least 1, got rpm null, tpm -3"),
                Map.entry(List.of("--name", "app", "--expires", "2001-01-01"), "--expires must be in the future, got 2001-01-01T00:00:00Z (now "),
                Map.entry(List.of("--name", "app", "--expires", "next week"), "--expires: expected an ISO date (2027-01-01, from its start, UTC) or instant (2027-01-01T12:00:00Z), got 'next week'"),
                Map.entry(List.of("--name", "app", "--models", "cheap,nope"), "--models: 'nope' is not a model of " + config),
                Map.entry(List.of("--name", "app", "--models", "fast"), "--models: 'fast' is not a model of " + config + " (it is a route: give it in --routes)"),
                Map.entry(List.of("--name", "app", "--models", "cheap,,gpt-4.1"), "a model or route name cannot be empty or hold a comma, got ''"),
                Map.entry(List.of("--name", "app", "--routes", "slow"), "--routes: 'slow' is not a route of " + config + " (its routes: fast)"),
                Map.entry(List.of("--name", "app", "--routes", "cheap"), "--routes: 'cheap' is not a route of " + config + " (it is a model: give it in --models)"));

        refusals.forEach((args, message) -> {
            CliRun r = create(args.toArray(String[]::new));
            assertThat(r.exit()).as(args.toString()).isEqualTo(2);
            assertThat(r.out()).as(args.toString()).isEmpty();
            assertThat(r.err().lines().toList()).as(args.toString()).hasSize(1)
                    .first().asString().startsWith("triage keys create: " + message);
        });
        assertThat(Files.exists(db)).as("nothing was even opened").isFalse();
    }

    @Test
    void aTakenNameIsRefusedAndTheFirstKeyIsKept() {
        String first = lastLine(create("--name", "app").out());

        CliRun again = create("--name", "app", "--team", "other");

        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("triage keys create: a key named 'app' exists already (revoked ones keep their name)\n");
        assertThat(again.out()).isEmpty();
        assertThat(stored()).hasSize(1);
        assertThat(authenticate(first, Instant.now()).orElseThrow().team()).isNull();
    }

    @Test
    void aBrokenConfigOrAMissingConfigIsRefused() throws Exception {
        Files.writeString(config, "storage: {ledger: 12, nonsense: true}\n");

        CliRun broken = create("--name", "app");
        CliRun missing = keys("list");

        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.err()).startsWith(config + ":1:");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void anUnreachableLedgerExitsOne() throws Exception {
        Files.writeString(config, "storage: {ledger: \"jdbc:postgresql://127.0.0.1:1/test\"}\n");

        CliRun r = keys("list", "--config", config.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("triage keys list: cannot connect to the ledger database");
    }

    @Test
    void keysAloneShowsItsSubcommands() {
        assertThat(keys().out()).contains("create").contains("list").contains("revoke").contains("rotate");
    }
}
