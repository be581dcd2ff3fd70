package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.analysis.TaskType;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.provider.Secrets;
import dev.triage.provider.gemini.GeminiFactory;
import dev.triage.provider.openai.OpenAiFactory;
import dev.triage.provider.simulated.SimulatedFactory;
import dev.triage.provider.simulated.SimulatedProvider;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.scoring.ScorerSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TieredRouteSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The example from docs/design.md, section 4 "Config", verbatim. */
    static final String DESIGN_EXAMPLE = """
            server: {host: 127.0.0.1, port: 8080}
            storage: {ledger: "sqlite:./triage-data/ledger.db"}   # or a postgresql JDBC URL
            providers:
              openai:    {kind: openai,    base_url: https://api.openai.com/v1, api_key: "${OPENAI_API_KEY}"}
              anthropic: {kind: anthropic, base_url: https://api.anthropic.com, api_key: "${ANTHROPIC_API_KEY}"}
              google:    {kind: gemini,    base_url: https://generativelanguage.googleapis.com, api_key: "${GEMINI_API_KEY}"}
            models:      # adds to or overrides the built-in catalog (prices in USD per 1M tokens)
              gemini-2.0-flash: {provider: google, input_per_mtok: 0.10, output_per_mtok: 0.40}
              gpt-4.5: {provider: openai, input_per_mtok: 75, output_per_mtok: 150, fallback: [claude-3.7-sonnet]}
            routes:
              task:
                policy: task
                task_types:
                  classification:  {model: gemini-2.0-flash,  threshold: 0.85, fallback: claude-3.5-sonnet}
                  summarization:   {model: claude-3.5-sonnet, max_input_tokens: 5000, fallback: gpt-4.1}
                  code_generation: {model: claude-3.7-sonnet, fallback: gpt-4.5}
                  reasoning:       {model: gpt-4.5, thinking: true, fallback: claude-3.7-sonnet}
                  fast_response:   {model: gemini-2.0-flash, max_latency_ms: 1000}
                default: summarization
              tiered:
                policy: tiered
                tiers:
                  high:   {models: [claude-3.7-sonnet, gpt-4.5],      daily_budget_usd: 500}
                  medium: {models: [claude-3.5-sonnet, gpt-4.1],      daily_budget_usd: 1000}
                  low:    {models: [gemini-2.0-flash, gpt-4.1-mini],  daily_budget_usd: 10000}
              cascade:
                policy: cascade
                stages:
                  - {model: gemini-2.0-flash,  accept_confidence: 0.9}
                  - {model: claude-3.5-sonnet, accept_confidence: 0.7}
                  - {model: gpt-4.5}
              auto: {policy: cascade, from: cascade}
            """;

    static final Map<String, String> ALL_KEYS = Map.of(
            "OPENAI_API_KEY", "tk-O3v8Kd1wYs6T", "ANTHROPIC_API_KEY", "tk-A7q2Zm9xLp4R", "GEMINI_API_KEY", "tk-G5n1Hc7uQe2B");

    /** The bundled catalog plus the Claude model the example's fallback names (the real catalog is filled elsewhere). */
    static PriceCatalog catalogWithClaude() {
        return PriceCatalog.builtIn().with(List.of(new ModelInfo("claude-3.7-sonnet", "anthropic", "claude-3-7-sonnet-20250219",
                Price.of("3", "15"), 200_000, 64_000, null, null, List.of())));
    }

    @Test
    void designDocExampleParsesIntoEverySection() {
        TriageConfig config = ConfigLoader.parse(DESIGN_EXAMPLE, "triage.yaml", ALL_KEYS, catalogWithClaude());

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.storage()).isEqualTo(new StorageConfig("sqlite:./triage-data/ledger.db", null, null));
        assertThat(config.providers().keySet()).containsExactly("openai", "anthropic", "google");
        ProviderConfig google = config.providers().get("google");
        assertThat(google.kind()).isEqualTo(new GeminiFactory());
        assertThat(google.baseUrl()).isEqualTo(URI.create("https://generativelanguage.googleapis.com"));
        assertThat(google.apiKey()).isEqualTo("tk-G5n1Hc7uQe2B");
        assertThat(google.enabled()).isTrue();
        assertThat(config.providers().get("anthropic").apiKey()).isEqualTo("tk-A7q2Zm9xLp4R");

        assertThat(config.models().get("gemini-2.0-flash")).isEqualTo(new ModelConfig("gemini-2.0-flash", "google", null,
                new BigDecimal("0.10"), new BigDecimal("0.40"), null, null, null, null, null, null, null));
        assertThat(config.models().get("gpt-4.5").fallback()).containsExactly("claude-3.7-sonnet");
        assertThat(config.resilience()).isEqualTo(ResilienceConfig.defaults());

        assertThat(config.routes().keySet()).containsExactly("task", "tiered", "cascade", "auto");
        assertThat(config.routes().get("auto")).isEqualTo(new CascadeRouteSpec("auto", List.of(
                new CascadeRouteSpec.Stage("gemini-2.0-flash", 0.9), new CascadeRouteSpec.Stage("claude-3.5-sonnet", 0.7),
                new CascadeRouteSpec.Stage("gpt-4.5", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE));
        TieredRouteSpec tiered = (TieredRouteSpec) config.routes().get("tiered");
        assertThat(tiered.tiers().get(2)).isEqualTo(new TieredRouteSpec.Tier("low", List.of("gemini-2.0-flash", "gpt-4.1-mini"),
                Money.ofUsd("10000")));
        TaskRouteSpec task = (TaskRouteSpec) config.routes().get("task");
        assertThat(task.defaultTask()).isEqualTo(TaskType.SUMMARIZATION);
        assertThat(task.rules()).hasSize(5);
    }

    @Test
    void designDocExampleCatalogHasTheNewModelsWithExactPricesAndTheFallbackChain() {
        TriageConfig config = ConfigLoader.parse(DESIGN_EXAMPLE, "triage.yaml", ALL_KEYS, catalogWithClaude());

        PriceCatalog catalog = config.catalog(catalogWithClaude());

        ModelInfo flash = catalog.find("gemini-2.0-flash").orElseThrow();
        assertThat(flash.provider()).isEqualTo("google");
        assertThat(flash.upstreamModel()).isEqualTo("gemini-2.0-flash");
        // prices the config does not give (the cached-input and cache-storage prices) keep their bundled values
        assertThat(flash.price()).isEqualTo(new Price(new BigDecimal("0.10"), new BigDecimal("0.40"), new BigDecimal("0.025"), null,
                new BigDecimal("1.00")));
        assertThat(flash.priceSource()).isEqualTo("config");
        ModelInfo gpt45 = catalog.find("gpt-4.5").orElseThrow();
        assertThat(gpt45.price()).isEqualTo(new Price(new BigDecimal("75"), new BigDecimal("150"), new BigDecimal("37.5"), null));
        assertThat(gpt45.fallback()).containsExactly("claude-3.7-sonnet");
        assertThat(catalog.all()).extracting(ModelInfo::id)
                .contains("gpt-4.1", "claude-3.7-sonnet", "gemini-2.0-flash", "gpt-4.5");
    }

    @Test
    void anEmptyFileMeansEveryDefault() {
        assertThat(ConfigLoader.parse("", "empty.yaml", Map.of())).isEqualTo(TriageConfig.defaults());
        assertThat(ConfigLoader.parse("# nothing yet\n", "empty.yaml", Map.of())).isEqualTo(TriageConfig.defaults());
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        TriageConfig d = TriageConfig.defaults();

        assertThat(d.server()).isEqualTo(new ServerConfig("127.0.0.1", 8080, List.of(), 10_485_760L,
                Duration.ofMillis(120_000), Duration.ofMillis(30_000)));
        // Half the heap for request bodies in flight, but always room for one of the largest.
        assertThat(d.server().maxBodyHeapBytes()).isEqualTo(Math.max(Runtime.getRuntime().maxMemory() / 2, 5 * 10_485_760L));
        assertThat(ServerConfig.defaultMaxBodyHeapBytes(10_485_760L, 128L << 20)).isEqualTo(64L << 20);
        assertThat(ServerConfig.defaultMaxBodyHeapBytes(10_485_760L, 64L << 20)).isEqualTo(52_428_800L);
        assertThat(d.server().allowedHosts()).isEmpty();
        assertThat(d.server().allowedOrigins()).isEmpty();
        assertThat(d.storage().ledger()).isEqualTo("sqlite:./triage-data/ledger.db");
        assertThat(d.resilience()).isEqualTo(new ResilienceConfig(2, Duration.ofMillis(200), Duration.ofMillis(5000), 5,
                Duration.ofMillis(30_000)));
        assertThat(d.providers()).isEmpty();
        assertThat(d.models()).isEmpty();
        assertThat(d.routes()).isEmpty();
    }

    @Test
    void everyScalarKeyIsRead() {
        String yaml = """
                server:
                  host: 0.0.0.0
                  port: 0
                  api_keys: [team-a-key-0123456789, team-b-key-0123456789]
                  max_body_bytes: 2048
                  request_timeout_ms: 60000
                  stream_idle_timeout_ms: 5000
                  max_body_heap_bytes: 1000000
                  allowed_hosts: [gateway.internal]
                  allowed_origins: ["https://app.example.com"]
                  max_connections: 64
                  header_timeout_ms: 2000
                  idle_timeout_ms: 15000
                storage:
                  ledger: jdbc:postgresql://db.internal:5432/triage
                  ledger_user: triage
                  ledger_password: "${DB_PASSWORD}"
                resilience:
                  max_retries: 0
                  backoff_initial_ms: 50
                  backoff_max_ms: 400
                  breaker_failure_threshold: 3
                  breaker_open_ms: 1000
                providers:
                  local:
                    kind: openai
                    base_url: http://localhost:11434/v1/
                    headers: {OpenAI-Organization: org-42}
                  fake:
                    kind: simulated
                    latency_ms: 250
                    tokens_per_second: 40
                    output_tokens: 12
                    failure_rate: 0.25
                """;

        TriageConfig config = ConfigLoader.parse(yaml, "full.yaml", Map.of("DB_PASSWORD", "pw-from-env"));

        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 0, List.of("team-a-key-0123456789", "team-b-key-0123456789"), 2048,
                Duration.ofSeconds(60), Duration.ofSeconds(5), ServerConfig.DEFAULT_SHUTDOWN_GRACE, 1_000_000,
                List.of("gateway.internal"), List.of("https://app.example.com"), 64,
                Duration.ofSeconds(2), Duration.ofSeconds(15)));
        assertThat(config.server().requiresAuth()).isTrue();
        assertThat(config.storage()).isEqualTo(new StorageConfig("jdbc:postgresql://db.internal:5432/triage", "triage", "pw-from-env"));
        assertThat(config.resilience()).isEqualTo(new ResilienceConfig(0, Duration.ofMillis(50), Duration.ofMillis(400), 3,
                Duration.ofSeconds(1)));
        assertThat(config.providers().get("local")).isEqualTo(new ProviderConfig("local", new OpenAiFactory(),
                URI.create("http://localhost:11434/v1"), null, Map.of("OpenAI-Organization", "org-42"), null, null));
        assertThat(config.providers().get("fake")).isEqualTo(new ProviderConfig("fake", new SimulatedFactory(), null, null,
                Map.of(), SimulatedFactory.options(new SimulatedProvider.Settings(Duration.ofMillis(250), 12, 40, 0.25)), null));
    }

    @Test
    void httpProvidersWithoutBaseUrlUseTheirOfficialEndpointAndSimulatedOnesTheDefaultBehaviour() {
        String yaml = """
                providers:
                  oa: {kind: openai, api_key: k1}
                  an: {kind: anthropic, api_key: k2}
                  ge: {kind: gemini, api_key: k3}
                  sim: {kind: simulated}
                """;

        TriageConfig config = ConfigLoader.parse(yaml, "t.yaml", Map.of());

        assertThat(config.providers().get("oa").baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(config.providers().get("an").baseUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(config.providers().get("ge").baseUrl()).isEqualTo(URI.create("https://generativelanguage.googleapis.com"));
        assertThat(SimulatedFactory.settings(config.providers().get("sim").options()))
                .isEqualTo(new SimulatedProvider.Settings(Duration.ZERO, 64, 0, 0.0));
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, "server:\n  port: 9090\n", StandardCharsets.UTF_8);
        assertThat(ConfigLoader.load(file, Map.of()).server().port()).isEqualTo(9090);

        Files.writeString(file, "server:\n  port: 99999\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2:9: server.port: must be between 0 and 65535, got 99999");
    }

    @Test
    void aMissingFileIsAConfigError(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void builtInDefaultEnablesOnlyTheProvidersWhoseKeyIsSet() {
        TriageConfig config = ConfigLoader.builtInDefault(Map.of("ANTHROPIC_API_KEY", "tk-A9r4Wj2fNb8X"));

        assertThat(config.providers().keySet()).containsExactly("openai", "anthropic", "google");
        assertThat(config.providers().get("anthropic").enabled()).isTrue();
        assertThat(config.providers().get("anthropic").apiKey()).isEqualTo("tk-A9r4Wj2fNb8X");
        assertThat(config.providers().get("openai").enabled()).isFalse();
        assertThat(config.providers().get("openai").disabledReason()).isEqualTo("environment variable OPENAI_API_KEY is not set");
        assertThat(config.providers().get("google").disabledReason()).isEqualTo("environment variable GEMINI_API_KEY is not set");
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void builtInDefaultLetsOpenAiBaseUrlComeFromTheEnvironment() {
        TriageConfig config = ConfigLoader.builtInDefault(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", "http://127.0.0.1:8000/v1"));

        assertThat(config.providers().get("openai").baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8000/v1"));
    }

    @Test
    void secretsAreRegisteredForRedactionOnlyWhenLoadingSucceeds() {
        // Redaction matches any 8 characters of a registered secret, so these share no run with other tests' keys.
        String refused = "qXv7" + java.util.UUID.randomUUID().toString().replace("-", "");
        String loaded = "Zk3w" + java.util.UUID.randomUUID().toString().replace("-", "");
        String failing = """
                server: {api_keys: [%s]}
                resilience: {max_retries: -1}
                """.formatted(refused);
        assertThatThrownBy(() -> ConfigLoader.parse(failing, "t.yaml", Map.of())).isInstanceOf(ConfigException.class);
        assertThat(Secrets.redact("key " + refused)).isEqualTo("key " + refused);

        ConfigLoader.parse("server: {api_keys: [" + loaded + "]}", "t.yaml", Map.of());
        assertThat(Secrets.redact("key " + loaded)).isEqualTo("key [redacted]");
    }

    @Test
    void toStringNeverShowsSecrets() {
        TriageConfig config = ConfigLoader.parse("""
                server: {api_keys: [visible-gateway-key]}
                storage: {ledger: "jdbc:postgresql://db/triage", ledger_password: visible-db-password}
                providers:
                  oa: {kind: openai, api_key: visible-provider-key, headers: {X-Secret: visible-header}}
                """, "t.yaml", Map.of());

        assertThat(config.toString()).doesNotContain("visible-gateway-key", "visible-db-password", "visible-provider-key",
                "visible-header");
    }

    @Test
    void modelsMayRecordTheirPriceDateAndSource() {
        TriageConfig config = ConfigLoader.parse("""
                providers: {sim: {kind: simulated}}
                models:
                  tiny: {provider: sim, input_per_mtok: 0.05, output_per_mtok: 0.1, price_date: 2026-10-01,
                         price_source: "https://example.com/pricing", context_window: 8192, max_output_tokens: 1024,
                         upstream_model: tiny-2026-10}
                """, "t.yaml", Map.of());

        ModelInfo tiny = config.catalog().find("tiny").orElseThrow();
        assertThat(tiny).isEqualTo(new ModelInfo("tiny", "sim", "tiny-2026-10", Price.of("0.05", "0.1"), 8192, 1024,
                LocalDate.of(2026, 10, 1), "https://example.com/pricing", List.of()));
    }
}
