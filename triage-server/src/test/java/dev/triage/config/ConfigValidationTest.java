package dev.triage.config;

import static dev.triage.config.TriageYaml.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every problem is reported as {@code FILE:LINE:COL: key.path: message}. */
class ConfigValidationTest {

    @Test
    void negativePortIsRejected() {
        assertThat(errors("""
                server:
                  port: -1
                """)).isEqualTo("triage.yaml:2:9: server.port: must be between 0 and 65535, got -1");
    }

    @Test
    void portAbove65535IsRejected() {
        assertThat(errors("server: {port: 65536}"))
                .isEqualTo("triage.yaml:1:16: server.port: must be between 0 and 65535, got 65536");
    }

    @Test
    void aPortThatIsNotANumberIsRejected() {
        assertThat(errors("server: {port: http}"))
                .isEqualTo("triage.yaml:1:16: server.port: expected an integer, got 'http'");
        assertThat(errors("server: {port: [8080]}"))
                .isEqualTo("triage.yaml:1:16: server.port: expected an integer, got a list");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownOne() {
        assertThat(errors("""
                server:
                  prot: 8080
                """)).isEqualTo("triage.yaml:2:3: server.prot: unknown key; did you mean 'port'?");
    }

    @Test
    void unknownKeyWithNothingCloseListsTheKnownKeys() {
        assertThat(errors("resilience: {jitter: true}")).isEqualTo(
                "triage.yaml:1:14: resilience.jitter: unknown key; expected one of: max_retries, backoff_initial_ms,"
                        + " backoff_max_ms, breaker_failure_threshold, breaker_open_ms");
    }

    @Test
    void unknownTopLevelSection() {
        assertThat(errors("budgets: {}\nprovider: {}\n")).isEqualTo("""
                triage.yaml:1:1: budgets: unknown key; expected one of: server, storage, providers, models, resilience, routes, alerts, prompt_cache, cache
                triage.yaml:2:1: provider: unknown key; did you mean 'providers'?""");
    }

    @Test
    void aSectionMustBeAMapping() {
        assertThat(errors("providers: [openai, anthropic]"))
                .isEqualTo("triage.yaml:1:12: providers: expected a mapping, got a list");
    }

    @Test
    void theWholeFileMustBeAMapping() {
        assertThat(errors("just text")).isEqualTo("triage.yaml:1:1: expected a mapping, got 'just text'");
    }

    @Test
    void priceWithMoreThanSixDecimalsIsRejected() {
        assertThat(errors("""
                providers: {sim: {kind: simulated}}
                models:
                  tiny: {provider: sim, input_per_mtok: 0.0000001, output_per_mtok: 1}
                """)).isEqualTo("triage.yaml:3:41: models.tiny.input_per_mtok: a price may have at most 6 decimal places, got 0.0000001");
    }

    @Test
    void negativePriceIsRejected() {
        assertThat(errors("""
                models:
                  gpt-4.1:
                    output_per_mtok: -8
                """)).isEqualTo("triage.yaml:3:22: models.gpt-4.1.output_per_mtok: a price cannot be negative, got -8");
    }

    @Test
    void priceThatIsNotANumberIsRejected() {
        assertThat(errors("models: {gpt-4.1: {input_per_mtok: $2}}"))
                .isEqualTo("triage.yaml:1:36: models.gpt-4.1.input_per_mtok: expected a number, got '$2'");
    }

    @Test
    void unknownProviderKindSuggestsTheClosestKind() {
        assertThat(errors("""
                providers:
                  claude: {kind: antropic, api_key: k}
                """)).isEqualTo("triage.yaml:2:18: providers.claude.kind: unknown provider kind 'antropic'"
                + " (expected one of openai, anthropic, gemini, simulated); did you mean 'anthropic'?");
    }

    @Test
    void providerWithoutKindIsRejected() {
        assertThat(errors("""
                providers:
                  openai:
                    api_key: k
                """)).isEqualTo("triage.yaml:2:3: providers.openai: missing key 'kind' (one of openai, anthropic, gemini, simulated)");
    }

    @Test
    void anthropicAndGeminiProvidersNeedAnApiKey() {
        assertThat(errors("providers: {claude: {kind: anthropic}}")).isEqualTo(
                "triage.yaml:1:13: providers.claude: missing key 'api_key' (anthropic needs one, e.g. api_key: \"${ANTHROPIC_API_KEY}\")");
    }

    @Test
    void baseUrlMustBeHttpOrHttps() {
        assertThat(errors("""
                providers:
                  local: {kind: openai, base_url: "ftp://localhost/v1"}
                """)).isEqualTo("triage.yaml:2:35: providers.local.base_url: 'ftp://localhost/v1' must be an http:// or https:// URL");
        assertThat(errors("providers: {local: {kind: openai, base_url: localhost:8000}}"))
                .isEqualTo("triage.yaml:1:45: providers.local.base_url: 'localhost:8000' must be an http:// or https:// URL");
    }

    @Test
    void baseUrlMustNotCarryCredentials() {
        assertThat(errors("providers: {g: {kind: gemini, api_key: k, base_url: \"https://example.com/v1?key=abc\"}}"))
                .isEqualTo("triage.yaml:1:53: providers.g.base_url: 'https://example.com/v1' must not carry user info,"
                        + " a query or a fragment (put credentials in api_key or headers)");
        assertThat(errors("providers: {o: {kind: openai, api_key: k, base_url: \"https://bob:hunter2-pass@llm.example.com:8443/v1\"}}"))
                .isEqualTo("triage.yaml:1:53: providers.o.base_url: 'https://llm.example.com:8443/v1' must not carry user info,"
                        + " a query or a fragment (put credentials in api_key or headers)");
        assertThat(errors("providers: {o: {kind: openai, api_key: k, base_url: \"https://bob:hunter2 pass@llm/v1\"}}"))
                .doesNotContain("hunter2");
    }

    @Test
    void simulatedOnlyKeysOnAnHttpProviderAndTheReverseAreRejected() {
        assertThat(errors("""
                providers:
                  oa: {kind: openai, latency_ms: 10}
                  sim: {kind: simulated, base_url: "http://localhost"}
                """)).isEqualTo("""
                triage.yaml:2:34: providers.oa.latency_ms: 'latency_ms' applies only to simulated providers
                triage.yaml:3:36: providers.sim.base_url: 'base_url' applies only to openai, anthropic and gemini providers""");
    }

    @Test
    void simulatedFailureRateIsAFraction() {
        assertThat(errors("providers: {sim: {kind: simulated, failure_rate: 1.5}}"))
                .isEqualTo("triage.yaml:1:50: providers.sim.failure_rate: must be between 0 and 1, got 1.5");
    }

    @Test
    void modelReferringToAnUndefinedProviderIsRejected() {
        assertThat(errors("""
                providers:
                  openai: {kind: openai, api_key: k}
                  anthropic: {kind: anthropic, api_key: k}
                models:
                  gpt-4.1: {provider: opnai}
                """)).isEqualTo("triage.yaml:5:23: models.gpt-4.1.provider: provider 'opnai' is not defined under providers"
                + " (defined: openai, anthropic); did you mean 'openai'?");
    }

    @Test
    void aNewModelNeedsProviderAndBothPrices() {
        assertThat(errors("""
                providers: {sim: {kind: simulated}}
                models:
                  tiny:
                    provider: sim
                    input_per_mtok: 0.1
                """)).isEqualTo("triage.yaml:3:3: models.tiny: a model not in the bundled catalog needs provider,"
                + " input_per_mtok and output_per_mtok (missing: output_per_mtok)");
    }

    @Test
    void aMisspelledBundledModelIdIsPointedOut() {
        assertThat(errors("models: {gpt-4-1: {fallback: []}}")).isEqualTo("triage.yaml:1:10: models.gpt-4-1: a model not in"
                + " the bundled catalog needs provider, input_per_mtok and output_per_mtok (missing: provider, input_per_mtok,"
                + " output_per_mtok); or did you mean the bundled 'gpt-4.1'?");
    }

    @Test
    void fallbackNamingAnUnknownModelIsRejected() {
        assertThat(errors("""
                models:
                  gpt-4.1:
                    fallback: [gpt4.1, claude-9]
                """)).isEqualTo("""
                triage.yaml:3:16: models.gpt-4.1.fallback[0]: unknown model 'gpt4.1'; did you mean 'gpt-4.1'?
                triage.yaml:3:24: models.gpt-4.1.fallback[1]: unknown model 'claude-9'""");
    }

    @Test
    void fallbackCycleIsReportedWithItsPath() {
        assertThat(errors("""
                providers: {sim: {kind: simulated}}
                models:
                  a: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [b]}
                  b: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [c]}
                  c: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [gpt-4.1, a]}
                """)).isEqualTo("triage.yaml:3:71: models.a.fallback: fallback cycle: a -> b -> c -> a");
    }

    @Test
    void aModelFallingBackToItselfIsACycle() {
        assertThat(errors("models: {gpt-4.1: {fallback: gpt-4.1}}"))
                .isEqualTo("triage.yaml:1:30: models.gpt-4.1.fallback: fallback cycle: gpt-4.1 -> gpt-4.1");
    }

    @Test
    void twoSeparateCyclesAreBothReported() {
        assertThat(errors("""
                providers: {sim: {kind: simulated}}
                models:
                  a: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [b]}
                  b: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [a]}
                  c: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [d]}
                  d: {provider: sim, input_per_mtok: 1, output_per_mtok: 2, fallback: [c]}
                """)).isEqualTo("""
                triage.yaml:3:71: models.a.fallback: fallback cycle: a -> b -> a
                triage.yaml:5:71: models.c.fallback: fallback cycle: c -> d -> c""");
    }

    @Test
    void resilienceValuesAreChecked() {
        assertThat(errors("""
                resilience:
                  max_retries: -1
                  backoff_initial_ms: 1000
                  backoff_max_ms: 500
                  breaker_failure_threshold: 0
                """)).isEqualTo("""
                triage.yaml:2:16: resilience.max_retries: must be between 0 and 100, got -1
                triage.yaml:4:19: resilience.backoff_max_ms: backoff_max_ms (500) is less than backoff_initial_ms (1000)
                triage.yaml:5:30: resilience.breaker_failure_threshold: must be at least 1, got 0""");
    }

    @Test
    void serverLimitsMustBePositive() {
        assertThat(errors("server: {max_body_bytes: 0, request_timeout_ms: 0, api_keys: [\"\"]}")).isEqualTo("""
                triage.yaml:1:26: server.max_body_bytes: must be at least 1, got 0
                triage.yaml:1:49: server.request_timeout_ms: must be at least 1, got 0
                triage.yaml:1:63: server.api_keys[0]: an API key cannot be empty""");
    }

    @Test
    void anApiKeyShorterThan16CharactersIsAnErrorThatDoesNotEchoTheKey() {
        String message = errors("""
                server:
                  api_keys: [good-key-0123456789, short-key, "${ONE_CHAR}"]
                """, Map.of("ONE_CHAR", "k"));

        assertThat(message).isEqualTo("""
                triage.yaml:2:35: server.api_keys[1]: an API key must have at least 16 characters, this one has 9
                triage.yaml:2:46: server.api_keys[2]: an API key must have at least 16 characters, this one has 1""");
        assertThat(message).doesNotContain("short-key");
    }

    @Test
    void theBodyHeapBudgetMustHoldOneBodyOfTheLargestSize() {
        assertThat(errors("server: {max_body_bytes: 1000, max_body_heap_bytes: 4999}")).isEqualTo(
                "triage.yaml:1:53: server.max_body_heap_bytes: must be at least 5 x max_body_bytes = 5000"
                        + " (what one body of the largest size claims), got 4999");
        assertThat(errors("server: {max_body_heap_bytes: 0}"))
                .isEqualTo("triage.yaml:1:31: server.max_body_heap_bytes: must be at least 1, got 0");
    }

    @Test
    void connectionLimitsArePositive() {
        assertThat(errors("server: {max_connections: 0, header_timeout_ms: 0, idle_timeout_ms: -5}")).isEqualTo("""
                triage.yaml:1:27: server.max_connections: must be between 1 and 1000000, got 0
                triage.yaml:1:49: server.header_timeout_ms: must be at least 1, got 0
                triage.yaml:1:69: server.idle_timeout_ms: must be at least 1, got -5""");
        assertThat(errors("server: {max_connections: many}"))
                .isEqualTo("triage.yaml:1:27: server.max_connections: expected an integer, got 'many'");
    }

    @Test
    void allowedHostsAreBareNamesAndAllowedOriginsAreOrigins() {
        assertThat(errors("""
                server:
                  allowed_hosts: [gateway.internal, 10.0.0.5, "[fd00::1]", "gateway.internal:8080", "http://x.example", "*"]
                  allowed_origins: ["https://app.example.com", "http://localhost:3000", "*", "null", "https://app.example.com/path", app.example.com]
                """)).isEqualTo("""
                triage.yaml:2:60: server.allowed_hosts[3]: expected a host name or IP address without scheme, port or path (any port is accepted), got 'gateway.internal:8080'
                triage.yaml:2:85: server.allowed_hosts[4]: expected a host name or IP address without scheme, port or path (any port is accepted), got 'http://x.example'
                triage.yaml:2:105: server.allowed_hosts[5]: expected a host name or IP address without scheme, port or path (any port is accepted), got '*'
                triage.yaml:3:73: server.allowed_origins[2]: expected an origin such as https://app.example.com or http://localhost:3000 (scheme, host and port, no path; '*' and 'null' are not accepted), got '*'
                triage.yaml:3:78: server.allowed_origins[3]: expected an origin such as https://app.example.com or http://localhost:3000 (scheme, host and port, no path; '*' and 'null' are not accepted), got 'null'
                triage.yaml:3:86: server.allowed_origins[4]: expected an origin such as https://app.example.com or http://localhost:3000 (scheme, host and port, no path; '*' and 'null' are not accepted), got 'https://app.example.com/path'
                triage.yaml:3:118: server.allowed_origins[5]: expected an origin such as https://app.example.com or http://localhost:3000 (scheme, host and port, no path; '*' and 'null' are not accepted), got 'app.example.com'""");
    }

    @Test
    void ledgerMustBeSqliteOrPostgresql() {
        assertThat(errors("storage: {ledger: \"mysql://db/triage\"}"))
                .isEqualTo("triage.yaml:1:19: storage.ledger: expected sqlite:PATH or a jdbc:postgresql://HOST/DATABASE URL");
    }

    @Test
    void aRouteMustBeAMapping() {
        assertThat(errors("""
                routes:
                  auto: cascade
                  fast: [gemini-2.0-flash]
                """)).isEqualTo("""
                triage.yaml:2:9: routes.auto: a route is a mapping (e.g. {policy: cascade, ...}), got 'cascade'
                triage.yaml:3:9: routes.fast: a route is a mapping (e.g. {policy: cascade, ...}), got a list""");
    }

    @Test
    void aProviderOrModelOfTheWrongShapeIsOneErrorNotACascade() {
        assertThat(errors("""
                providers:
                  openai: openai
                models:
                  my-model: 0.5
                """)).isEqualTo("""
                triage.yaml:2:11: providers.openai: expected a mapping, got 'openai'
                triage.yaml:4:13: models.my-model: expected a mapping, got '0.5'""");
    }

    @Test
    void anAliasInsideItselfIsOnlyAnUnknownKey() {
        // Routes are read to a fixed depth, so a mapping that contains itself cannot loop the reader.
        assertThat(errors("routes:\n  loop: &r {policy: cascade, again: *r, stages: [{model: gpt-4.1}]}\n"))
                .isEqualTo("triage.yaml:2:30: routes.loop.again: unknown key; a cascade route takes: policy, scorer, stages,"
                        + " quality_floor");
    }

    @Test
    void databaseCredentialsOnASqliteLedgerAreRejected() {
        assertThat(errors("storage: {ledger_user: triage}"))
                .isEqualTo("triage.yaml:1:24: storage.ledger_user: 'ledger_user' applies only to a PostgreSQL ledger");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThat(errors("""
                server:
                  port: 8080
                  port: 9090
                """)).isEqualTo("triage.yaml:3:3: server.port: duplicate key (first given on line 2)");
    }

    @Test
    void yamlSyntaxErrorsNameTheirPosition() {
        assertThat(errors("server:\n  port: 8080\n  host: a: b\n"))
                .isEqualTo("triage.yaml:3:10: YAML syntax: mapping values are not allowed here");
    }

    @Test
    void headersAreNamesAndValues() {
        assertThat(errors("providers: {oa: {kind: openai, headers: {\"bad header\": x, X-Empty: }}}")).isEqualTo("""
                triage.yaml:1:42: providers.oa.headers.bad header: not a valid HTTP header name
                triage.yaml:1:59: providers.oa.headers.X-Empty: a header needs a value""");
    }

    @Test
    void everyErrorInTheFileIsReportedInFileOrder() {
        String yaml = """
                server:
                  port: 70000
                  hots: 0.0.0.0
                providers:
                  oa: {kind: openai, base_url: "file:///tmp"}
                  sim: {kind: simulatd}
                models:
                  gpt-4.1: {provider: nobody, fallback: [gpt-4.1]}
                  tiny: {provider: sim, input_per_mtok: -1, output_per_mtok: 0.12345678}
                routes:
                  auto: cascade
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "triage.yaml", Map.of()));

        assertThat(e.getMessage()).isEqualTo("""
                triage.yaml:2:9: server.port: must be between 0 and 65535, got 70000
                triage.yaml:3:3: server.hots: unknown key; did you mean 'host'?
                triage.yaml:5:32: providers.oa.base_url: 'file:///tmp' must be an http:// or https:// URL
                triage.yaml:6:15: providers.sim.kind: unknown provider kind 'simulatd' (expected one of openai, anthropic, gemini, simulated); did you mean 'simulated'?
                triage.yaml:8:23: models.gpt-4.1.provider: provider 'nobody' is not defined under providers (defined: oa, sim)
                triage.yaml:8:41: models.gpt-4.1.fallback: fallback cycle: gpt-4.1 -> gpt-4.1
                triage.yaml:9:41: models.tiny.input_per_mtok: a price cannot be negative, got -1
                triage.yaml:9:62: models.tiny.output_per_mtok: a price may have at most 6 decimal places, got 0.12345678
                triage.yaml:11:9: routes.auto: a route is a mapping (e.g. {policy: cascade, ...}), got 'cascade'""");
        assertThat(e.errors()).hasSize(9);
        assertThat(e.errors().get(0)).isEqualTo(new ConfigError("triage.yaml", 2, 9, "server.port", "must be between 0 and 65535, got 70000"));
    }
}
