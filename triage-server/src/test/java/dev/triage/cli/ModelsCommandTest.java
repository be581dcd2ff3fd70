package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage models}: the catalog a config sees, with prices, context, status and dates, and which providers are on. */
class ModelsCommandTest {

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        // OpenAI on (a literal key), Anthropic configured but off (empty key), Google absent, one model of our own.
        config = dir.resolve("triage.yaml");
        Files.writeString(config, """
                providers:
                  openai:    {kind: openai, api_key: sk-test-models-0123456789}
                  anthropic: {kind: anthropic, api_key: ""}
                  sim:       {kind: simulated}
                models:
                  toy: {provider: sim, input_per_mtok: 0.5, output_per_mtok: 1.25, context_window: 8192}
                """);
    }

    private static String row(String out, String model) {
        return out.lines().filter(l -> l.startsWith(model + " ")).findFirst().orElseThrow(() -> new AssertionError("no row " + model + " in\n" + out));
    }

    @Test
    void theTableShowsPricesContextStatusAndWhetherTheProviderIsConfigured() {
        CliRun r = CliRun.of("models", "--config", config.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("MODEL").contains("PROVIDER", "STATUS", "INPUT", "OUTPUT",
                "CACHED", "CACHE WRITE", "LONG CONTEXT", "CONTEXT", "PRICE DATE", "CONFIGURED");
        assertThat(row(r.out(), "gpt-5.5").split("\\s{2,}")).containsExactly("gpt-5.5", "openai", "current", "5.00", "30.00", "0.50",
                "-", ">272K: 10.00 / 45.00", "1,000,000", "2026-12-06", "yes");
        assertThat(row(r.out(), "claude-sonnet-4.5").split("\\s{2,}")).containsExactly("claude-sonnet-4.5", "anthropic", "current",
                "3.00", "15.00", "0.30", "3.75", ">200K: 6.00 / 22.50", "200,000", "2026-12-06", "no: api_key is empty");
        assertThat(row(r.out(), "gemini-2.5-pro")).contains("deprecated, retires 2026-10-16")
                .endsWith("no: provider 'google' is not configured");
        assertThat(row(r.out(), "toy").split("\\s{2,}")).containsExactly("toy", "sim", "current", "0.50", "1.25", "-", "-", "-",
                "8,192", "-", "simulated");
    }

    @Test
    void retiredModelsAreHiddenUnlessAllIsGiven() {
        CliRun current = CliRun.of("models", "--config", config.toString());
        CliRun all = CliRun.of("models", "--config", config.toString(), "--all");

        assertThat(current.out()).doesNotContain("gpt-4.5 ").doesNotContain("claude-3.5-sonnet ").doesNotContain("gemini-2.0-flash ");
        long retired = all.out().lines().filter(l -> l.contains("  retired ")).count();
        assertThat(retired).isGreaterThanOrEqualTo(4);
        assertThat(current.out()).contains("; " + retired + " retired not shown (--all shows them)");
        assertThat(row(all.out(), "gpt-4.5").split("\\s{2,}")).containsExactly("gpt-4.5", "openai", "retired 2025-07-14", "75.00",
                "150.00", "37.50", "-", "-", "128,000", "2026-11-28", "yes");
        assertThat(all.out()).doesNotContain("not shown");
    }

    @Test
    void aProviderFilterKeepsOnlyItsModels() {
        CliRun r = CliRun.of("models", "--config", config.toString(), "--provider", "google", "--all");

        List<String> rows = r.out().lines().skip(1).takeWhile(l -> !l.isBlank()).toList();
        assertThat(rows).isNotEmpty().allSatisfy(l -> assertThat(l.split("\\s{2,}")[1]).isEqualTo("google"));
        assertThat(rows).anySatisfy(l -> assertThat(l).startsWith("gemini-3.1-flash-lite "));
        assertThat(rows).anySatisfy(l -> assertThat(l).startsWith("gemini-2.0-flash "));
    }

    @Test
    void anUnknownProviderOrFormatExitsTwoSayingWhy() {
        CliRun provider = CliRun.of("models", "--config", config.toString(), "--provider", "gogle");
        CliRun format = CliRun.of("models", "--config", config.toString(), "--format", "yaml");

        assertThat(provider.exit()).isEqualTo(2);
        assertThat(provider.err()).contains("no model is served by provider 'gogle'").contains("anthropic, google, openai, sim");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("--format is table or json, not 'yaml'");
    }

    @Test
    void jsonCarriesEveryPriceAsAnExactDecimalStringWithItsSourceAndDates() throws Exception {
        CliRun r = CliRun.of("models", "--config", config.toString(), "--format", "json", "--all");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode models = new ObjectMapper().readTree(r.out());
        List<String> ids = new ArrayList<>();
        models.forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).contains("gpt-4.5", "toy", "gemini-3.1-flash-lite");

        JsonNode gpt55 = find(models, "gpt-5.5");
        assertThat(gpt55.path("input_per_mtok").isTextual()).isTrue();
        assertThat(gpt55.path("input_per_mtok").asText()).isEqualTo("5.00");
        assertThat(gpt55.path("cached_input_per_mtok").asText()).isEqualTo("0.50");
        assertThat(gpt55.path("long_context").path("above_input_tokens").asLong()).isEqualTo(272_000);
        assertThat(gpt55.path("long_context").path("output_per_mtok").asText()).isEqualTo("45.00");
        assertThat(gpt55.path("status").asText()).isEqualTo("current");
        assertThat(gpt55.path("retirement_date").isNull()).isTrue();
        assertThat(gpt55.path("price_date").asText()).isEqualTo("2026-12-06");
        assertThat(gpt55.path("price_source").asText()).startsWith("https://");
        assertThat(gpt55.path("configured").asBoolean()).isTrue();

        JsonNode flashLite = find(models, "gemini-3.1-flash-lite");
        assertThat(flashLite.path("cached_input_per_mtok").asText()).isEqualTo("0.025");
        assertThat(flashLite.path("cache_storage_per_mtok_hour").asText()).isEqualTo("1.00");
        assertThat(flashLite.path("configured").asBoolean()).isFalse();

        JsonNode gpt45 = find(models, "gpt-4.5");
        assertThat(gpt45.path("status").asText()).isEqualTo("retired");
        assertThat(gpt45.path("retirement_date").asText()).isEqualTo("2025-07-14");
        assertThat(find(models, "claude-sonnet-4.6").path("provider_state").asText()).isEqualTo("no: api_key is empty");
    }

    @Test
    void aConfigWhoseRouteNamesARetiredModelIsWarnedAboutOnStandardErrorAndStillListed() throws Exception {
        Path seedLike = dir.resolve("seed.yaml");
        Files.writeString(seedLike, """
                providers:
                  openai: {kind: simulated}
                routes:
                  auto: {policy: cascade, stages: [{model: gpt-4.1-mini, accept_confidence: 0.8}, {model: gpt-4.5}]}
                """);

        CliRun r = CliRun.of("models", "--config", seedLike.toString(), "--provider", "openai");

        assertThat(r.exit()).isZero();
        assertThat(r.err().strip()).isEqualTo("warning: " + seedLike + ":4:91: routes.auto.stages[1].model: model 'gpt-4.5' was"
                + " retired by its vendor on 2025-07-14: calls to it fail upstream (it stays in the catalog so old ledgers and"
                + " simulations price exactly); see `triage models` for current ones");
        assertThat(row(r.out(), "gpt-4.1-mini")).endsWith("simulated");
    }

    private static JsonNode find(JsonNode models, String id) {
        for (JsonNode m : models) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no model " + id);
    }
}
