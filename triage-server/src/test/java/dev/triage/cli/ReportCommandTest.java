package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.feedback.Feedback;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.NewKey;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code triage report} over a ledger file written beforehand, in each format. */
class ReportCommandTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @TempDir
    Path dir;
    Path config;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void ledgerWithTwoDays() throws Exception {
        Path db = dir.resolve("ledger.db");
        config = dir.resolve("triage.yaml");
        Files.writeString(config, """
                storage: {ledger: "sqlite:%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  cheap:  {provider: sim, input_per_mtok: 1, output_per_mtok: 2}
                  strong: {provider: sim, input_per_mtok: 10, output_per_mtok: 30}
                routes:
                  tiered:
                    policy: tiered
                    tiers:
                      high: {models: [strong], daily_budget_usd: 5}
                      low:  {models: [cheap]}
                """.formatted(db));
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            // 2 requests today on the tiered route (one per tier), 1 yesterday on a concrete model, 1 nine days ago.
            ledger.record(entry("req-1", "tiered", "strong", "high", "0.4", Instant.parse("2026-03-10T09:00:00Z")));
            ledger.record(entry("req-2", "tiered", "cheap", "low", "0.1", Instant.parse("2026-03-10T10:00:00Z")));
            ledger.record(entry("req-3", "cheap", "cheap", null, "0.25", Instant.parse("2026-03-09T10:00:00Z")));
            ledger.record(entry("req-4", "cheap", "cheap", null, "1.25", Instant.parse("2026-03-01T10:00:00Z")));
        }
    }

    static LedgerEntry entry(String id, String route, String model, String tier, String usd, Instant at) {
        return new LedgerEntry(id, 1, route, model, "sim", new Usage(1000, 100, 0, 0, 0, false), Money.ofUsd(usd), 5, null,
                AttemptStatus.OK, null, 200, false, "dana", "chat", tier, at);
    }

    Run run(String... args) {
        ReportCommand command = new ReportCommand();
        command.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        command.env = Map.of();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(command).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonIsTheApisReportOfTheConfiguredLedger() throws Exception {
        Run r = run("--config", config.toString(), "--since", "7d", "--format", "json");

        assertThat(r.exit()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.at("/period/from").asText()).isEqualTo("2026-03-04T00:00:00Z");
        assertThat(j.at("/period/to").asText()).isEqualTo("2026-03-11T00:00:00Z");
        assertThat(j.at("/requests").asLong()).isEqualTo(3);
        assertThat(j.at("/total_cost_usd").decimalValue()).isEqualByComparingTo("0.75");
        assertThat(j.at("/by_model/0/name").asText()).isEqualTo("strong");
        assertThat(j.at("/by_model/0/share_pct").decimalValue()).isEqualByComparingTo("53.33");
        // Away from the gateway, today's tier spend comes from the ledger.
        assertThat(j.at("/budgets/0/tier").asText()).isEqualTo("high");
        assertThat(j.at("/budgets/0/spent_usd").decimalValue()).isEqualByComparingTo("0.4");
        assertThat(j.at("/budgets/0/used_pct").decimalValue()).isEqualByComparingTo("8.00");
        assertThat(j.at("/budgets/1/limit_usd").isNull()).isTrue();
    }

    @Test
    void sinceHoursIsARollingWindowUpToNow() throws Exception {
        Run r = run("--config", config.toString(), "--since", "24h", "--format", "json");

        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.at("/period/from").asText()).isEqualTo("2026-03-09T12:00:00Z");
        assertThat(j.at("/requests").asLong()).isEqualTo(2);
        assertThat(run("--config", config.toString(), "--format", "json").out()).contains("\"requests\" : 4");
    }

    @Test
    void theTableShowsTotalsBarsBudgetsAndRecommendations() {
        Run r = run("--config", config.toString(), "--since", "7d");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Triage cost report, 2026-03-04T00:00:00Z to 2026-03-11T00:00:00Z")
                .contains("Total cost             $0.75")
                .contains("Requests               3 (answered 3; 3 upstream attempts, 0 failed)")
                .contains("Average per request    $0.25")
                .containsPattern("strong +█{11}░{9} +53\\.3% +\\$0\\.40 +1 req")
                .contains("  2026-03-10         $0.50          2 req  cheap $0.10, strong $0.40")
                .contains("tiered/high                     $0.40 of $5.00        8.0% used (2026-03-10, UTC)")
                .contains("overall  0.0520 (poor): paid $0.50 where strong-only would have cost $0.026 (1923.1% of it)")
                .contains("Only 3 requests in this period: recommendations need at least 50.");
    }

    @Test
    void markdownHasASummaryAndTables() {
        Run r = run("--config", config.toString(), "--since", "30d", "--format", "markdown");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("# Triage cost report\n")
                .contains("- **Total cost:** $2.00")
                .contains("| model | requests | attempts | cost | share |")
                .contains("| cheap | 3 | 3 | $1.60 | 80.0% |")
                .contains("| tiered | high | $0.40 | $5.00 | 8.0% |")
                .contains("- **insufficient data:** Only 4 requests");
    }

    @Test
    void anAttemptTheDatabaseRefusedIsShownAsMoneyOutsideTheFigures() throws Exception {
        Path db = dir.resolve("ledger.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER no_mallory BEFORE INSERT ON ledger_attempts WHEN NEW.user_id = 'mallory' "
                    + "BEGIN SELECT RAISE(ABORT, 'refused'); END");
        }
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            LedgerEntry e = entry("req-5", "cheap", "cheap", null, "0.05", Instant.parse("2026-03-10T11:00:00Z"));
            ledger.record(new LedgerEntry(e.requestId(), 1, e.route(), e.model(), e.provider(), e.usage(), e.cost(),
                    e.latencyMs(), null, e.status(), null, 200, false, "mallory", e.task(), e.tier(), e.time()));
        }

        Run table = run("--config", config.toString(), "--since", "7d");
        JsonNode json = new ObjectMapper().readTree(run("--config", config.toString(), "--since", "7d", "--format", "json").out());

        assertThat(table.out()).contains("Total cost             $0.75")
                .contains("Dead letters           $0.05 in 1 attempts the ledger database refused: spent, but in none "
                        + "of these figures until replayed from ledger_dead_letters");
        assertThat(json.at("/dead_letters/entries").asLong()).isEqualTo(1);
        assertThat(json.at("/dead_letters/cost_usd").decimalValue()).isEqualByComparingTo("0.05");
        assertThat(json.at("/total_cost_usd").decimalValue()).isEqualByComparingTo("0.75");
    }

    @Test
    void spendByKeyAndTeamWithEachKeysBudgetAndAReportForOneKeyOrTeam() throws Exception {
        Path db = dir.resolve("ledger.db");
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            ledger.keys().create(new NewKey("ops", "core", Money.ofUsd("2"), KeyPeriod.MONTH, Set.of(), Set.of(), null, null, null),
                    NOW.minusSeconds(86_400 * 20));
            ledger.keys().create(new NewKey("lab", null, null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null), NOW.minusSeconds(60));
            ledger.record(keyed(entry("req-5", "cheap", "cheap", null, "0.3", Instant.parse("2026-03-10T11:00:00Z")), "ops"));
            ledger.record(keyed(entry("req-6", "cheap", "cheap", null, "0.2", Instant.parse("2026-03-02T11:00:00Z")), "ops"));
            ledger.record(keyed(entry("req-7", "cheap", "cheap", null, "0.05", Instant.parse("2026-03-10T11:30:00Z")), "lab"));
        }

        JsonNode all = new ObjectMapper().readTree(run("--config", config.toString(), "--since", "30d", "--format", "json").out());
        assertThat(all.get("by_key").toString()).contains("\"name\":\"ops\",\"team\":\"core\",\"requests\":2");
        // Requests without a key ($2.00) and lab's (no team, $0.05) come first, then core's $0.50.
        assertThat(all.get("by_team").toString()).contains("{\"name\":null,\"requests\":5,\"attempts\":5,\"cost_usd\":2.05")
                .contains("{\"name\":\"core\",\"requests\":2,\"attempts\":2,\"cost_usd\":0.5");
        // ops's month began on 1 March: both of its requests count against its $2.
        JsonNode bar = all.get("key_budgets").get(0);
        assertThat(bar.get("key").asText()).isEqualTo("ops");
        assertThat(bar.get("spent_usd").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(bar.get("used_pct").decimalValue()).isEqualByComparingTo("25");
        assertThat(all.get("key_budgets")).hasSize(1);

        Run ops = run("--config", config.toString(), "--since", "30d", "--key", "ops", "--format", "json");
        JsonNode scoped = new ObjectMapper().readTree(ops.out());
        assertThat(scoped.get("total_cost_usd").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(scoped.get("requests").asLong()).isEqualTo(2);
        assertThat(new ObjectMapper().readTree(run("--config", config.toString(), "--since", "1d", "--team", "core", "--format", "json").out())
                .get("total_cost_usd").decimalValue()).isEqualByComparingTo("0.3");

        Run table = run("--config", config.toString(), "--since", "30d");
        assertThat(table.out()).contains("Spend by virtual key").contains("ops (core)").contains("Spend by team")
                .contains("Virtual key budgets").contains("25.0% used (month from 2026-03-01)").contains("(no virtual key)").contains("(no team)");
        assertThat(run("--config", config.toString(), "--key", "ops", "--format", "markdown").out())
                .contains(", virtual key ops").contains("| ops | core | month 2026-03-01 | $0.50 | $2.00 | 25.0% |");
        assertThat(run("--config", config.toString(), "--key", "nobody")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("no virtual key is named 'nobody'");
        });
        assertThat(run("--config", config.toString(), "--key", "ops", "--team", "core").exit()).isEqualTo(2);
    }

    static LedgerEntry keyed(LedgerEntry e, String key) {
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), e.cost(), e.latencyMs(),
                e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(), e.task(), e.tier(), e.step(),
                e.decision(), e.time(), key);
    }

    @Test
    void theSavingFromPromptCachingIsReportedByModelAndRouteInEveryFormat() throws Exception {
        Path db = dir.resolve("ledger.db");
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            // strong ($10 input): one request writes 8,000 tokens to a cache at a price of $12.50 (saved -$0.02), the
            // next reads them at $1 (saved $0.072); cheap reads 500 of 1,000 tokens on another day (saved $0.00045).
            ledger.record(cached(entry("req-5", "tiered", "strong", "high", "0.2", Instant.parse("2026-03-10T11:00:00Z")),
                    new Usage(10_000, 100, 0, 8_000, 0, false), "-0.02"));
            ledger.record(cached(entry("req-6", "tiered", "strong", "high", "0.03", Instant.parse("2026-03-10T11:01:00Z")),
                    new Usage(10_000, 100, 8_000, 0, 0, false), "0.072"));
            ledger.record(cached(entry("req-7", "cheap", "cheap", null, "0.001", Instant.parse("2026-03-08T11:00:00Z")),
                    new Usage(1_000, 100, 500, 0, 0, false), "0.00045"));
        }

        JsonNode j = new ObjectMapper().readTree(run("--config", config.toString(), "--since", "7d", "--format", "json").out());
        Run table = run("--config", config.toString(), "--since", "7d");
        String markdown = run("--config", config.toString(), "--since", "7d", "--format", "markdown").out();

        // 7 days: the four rows of 1,000 input tokens from before (none cached) and the three above.
        JsonNode cache = j.get("prompt_cache");
        assertThat(cache.get("saved_usd").decimalValue()).isEqualByComparingTo("0.05245");
        assertThat(cache.get("input_tokens").asLong()).isEqualTo(24_000);
        assertThat(cache.get("cached_input_tokens").asLong()).isEqualTo(8_500);
        assertThat(cache.get("cache_write_tokens").asLong()).isEqualTo(8_000);
        assertThat(cache.get("hit_rate_pct").decimalValue()).isEqualByComparingTo("35.42"); // 8,500 / 24,000
        assertThat(j.get("provider_cached_input_pct")).isEqualTo(cache.get("hit_rate_pct"));
        assertThat(cache.at("/by_model/0/name").asText()).isEqualTo("strong");
        assertThat(cache.at("/by_model/0/saved_usd").decimalValue()).isEqualByComparingTo("0.052");
        assertThat(cache.at("/by_model/0/hit_rate_pct").decimalValue()).isEqualByComparingTo("38.10"); // 8,000 / 21,000
        assertThat(cache.at("/by_model/1/saved_usd").decimalValue()).isEqualByComparingTo("0.00045");
        assertThat(cache.at("/by_route/0/name").asText()).isEqualTo("tiered");
        assertThat(cache.at("/by_route/1/name").asText()).isEqualTo("cheap");
        assertThat(j.at("/recommendations/1/text").asText()).startsWith("Provider prompt caching saved $0.05245 in this period: "
                + "35% of input tokens (8,500 of 24,000) were read from a cache; 8,000 were written to one.");

        assertThat(table.out()).contains("Saved by prompt cache  $0.05245 (hit rate 35.4%: 8,500 of 24,000 input tokens read from a cache, 8,000 written)")
                .containsPattern("strong +38\\.1% hit +21,000 in +8,000 cached +8,000 written +\\$0\\.052 saved");
        assertThat(markdown).contains("| tiered | 22,000 | 8,000 | 8,000 | 36.4% | $0.052 |")
                .contains("| cheap | 3,000 | 500 | 0 | 16.7% | $0.00045 |") // the model (on both routes)
                .contains("| cheap | 2,000 | 500 | 0 | 25.0% | $0.00045 |"); // the route
    }

    static LedgerEntry cached(LedgerEntry e, Usage usage, String savedUsd) {
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), usage, e.cost(), Money.ofUsd(savedUsd),
                e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(), e.task(), e.tier(),
                e.step(), e.decision(), e.time(), e.apiKey());
    }

    @Test
    void aContextExperimentIsShownArmByArmOnlyWhenThereIsOne() throws Exception {
        Run before = run("--config", config.toString(), "--since", "7d");
        assertThat(before.out()).doesNotContain("Context experiment");
        assertThat(new ObjectMapper().readTree(run("--config", config.toString(), "--since", "7d", "--format", "json").out())
                .get("context_experiment")).hasToString("{\"arms\":[]}");

        Path db = dir.resolve("ledger.db");
        try (JdbcLedger ledger = JdbcLedger.open("sqlite:" + db, LedgerOptions.defaults())) {
            // compact: req-5's summarizer call ($0.002, step context) and answer ($0.03), req-6's answer ($0.01);
            // full: req-7's answer ($0.05). Feedback: 0.8 and 0.7 on compact, 0.9 on full.
            LedgerEntry summary = entry("req-5", "agent", "cheap", null, "0.002", Instant.parse("2026-03-10T11:00:00Z"));
            ledger.record(inArm(new LedgerEntry("req-5", 1, "agent", "cheap", "sim", summary.usage(), summary.cost(), 5, null,
                    AttemptStatus.OK, null, 200, false, "dana", null, null, "context", null, summary.time()), "compact"));
            LedgerEntry answer = entry("req-5", "agent", "strong", null, "0.03", Instant.parse("2026-03-10T11:00:01Z"));
            ledger.record(inArm(new LedgerEntry("req-5", 2, "agent", "strong", "sim", answer.usage(), answer.cost(), 5, null,
                    AttemptStatus.OK, null, 200, false, "dana", "chat", null, null, null, answer.time()), "compact"));
            ledger.record(inArm(entry("req-6", "agent", "strong", null, "0.01", Instant.parse("2026-03-10T11:05:00Z")), "compact"));
            ledger.record(inArm(entry("req-7", "agent", "strong", null, "0.05", Instant.parse("2026-03-10T11:10:00Z")), "full"));
            ledger.flush();
            Instant rated = Instant.parse("2026-03-10T11:30:00Z");
            ledger.reports().record(new Feedback("req-5", new BigDecimal("0.8"), null, rated));
            ledger.reports().record(new Feedback("req-6", new BigDecimal("0.7"), null, rated));
            ledger.reports().record(new Feedback("req-7", new BigDecimal("0.9"), null, rated));
        }

        JsonNode j = new ObjectMapper().readTree(run("--config", config.toString(), "--since", "7d", "--format", "json").out());
        Run table = run("--config", config.toString(), "--since", "7d");
        String markdown = run("--config", config.toString(), "--since", "7d", "--format", "markdown").out();

        // compact: 2 requests, 3 attempts, $0.042 ($0.021 per request), 3,000 in and 300 out, quality 0.75 (n=2).
        assertThat(j.at("/context_experiment/arms").toString()).isEqualTo("[{\"arm\":\"compact\",\"requests\":2,\"answered\":2,"
                + "\"attempts\":3,\"cost_usd\":0.042,\"avg_cost_per_request_usd\":0.021,\"input_tokens\":3000,\"output_tokens\":300,"
                + "\"quality\":{\"mean\":0.75,\"count\":2}},{\"arm\":\"full\",\"requests\":1,\"answered\":1,\"attempts\":1,"
                + "\"cost_usd\":0.05,\"avg_cost_per_request_usd\":0.05,\"input_tokens\":1000,\"output_tokens\":100,"
                + "\"quality\":{\"mean\":0.9,\"count\":1}}]");
        assertThat(table.out()).contains("Context experiment (shared context: compact = older turns condensed, full = whole history)")
                .containsPattern("compact +2 req \\(answered 2\\) +\\$0\\.042 +\\$0\\.021/req +quality 0\\.7500 \\(n=2\\) +3,000 in, 300 out")
                .containsPattern("full +1 req \\(answered 1\\) +\\$0\\.05 +\\$0\\.05/req +quality 0\\.9000 \\(n=1\\) +1,000 in, 100 out");
        assertThat(markdown).contains("## Context experiment")
                .contains("| compact | 2 | 2 | $0.042 | $0.021 | 3,000 | 300 | 0.7500 (n=2) |")
                .contains("| full | 1 | 1 | $0.05 | $0.05 | 1,000 | 100 | 0.9000 (n=1) |");
    }

    static LedgerEntry inArm(LedgerEntry e, String arm) {
        return new LedgerEntry(e.requestId(), e.attempt(), e.route(), e.model(), e.provider(), e.usage(), e.cost(), e.cacheSaving(),
                e.latencyMs(), e.ttftMs(), e.status(), e.errorKind(), e.httpStatus(), e.stream(), e.user(), e.task(), e.tier(),
                e.step(), e.decision(), e.time(), e.apiKey(), arm);
    }

    @Test
    void badArgumentsExitTwoWithAMessage() {
        assertThat(run("--config", config.toString(), "--format", "xml")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--format must be table, json or markdown");
        });
        assertThat(run("--config", config.toString(), "--since", "week")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("expected a number of days or hours such as 7d, 30d or 24h");
        });
        assertThat(run("--config", config.toString(), "--from", "yesterday").exit()).isEqualTo(2);
        assertThat(run("--config", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(2);
    }

    @Test
    void aMissingLedgerFileIsAnErrorNamingItAndIsNotCreated() throws Exception {
        Path nowhere = dir.resolve("elsewhere");
        Path config = writeConfigWithLedger(nowhere.resolve("ledger.db"));

        Run r = run("--config", config.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("triage report: there is no ledger at " + nowhere.resolve("ledger.db").toAbsolutePath().normalize()
                        + " (storage.ledger in " + config + ")")
                .contains("--allow-empty");
        assertThat(nowhere).doesNotExist(); // neither the file nor its directory
    }

    @Test
    void allowEmptyReportsNothingSpentWithoutCreatingTheLedger() throws Exception {
        Path db = dir.resolve("fresh").resolve("ledger.db");
        Path config = writeConfigWithLedger(db);

        Run table = run("--config", config.toString(), "--since", "7d", "--allow-empty");
        Run json = run("--config", config.toString(), "--since", "7d", "--allow-empty", "--format", "json");

        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("Total cost             $0").contains("No requests on any of the 7 days of the period.");
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.at("/requests").asLong()).isZero();
        assertThat(j.at("/daily")).hasSize(7);
        assertThat(db.getParent()).doesNotExist();
    }

    private Path writeConfigWithLedger(Path db) throws Exception {
        Path file = dir.resolve("other.yaml");
        Files.writeString(file, """
                storage: {ledger: "sqlite:%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  cheap: {provider: sim, input_per_mtok: 1, output_per_mtok: 2}
                """.formatted(db));
        return file;
    }
}
