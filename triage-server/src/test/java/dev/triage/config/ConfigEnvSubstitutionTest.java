package dev.triage.config;

import static dev.triage.config.TriageYaml.errors;
import static dev.triage.config.TriageYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.catalog.ModelInfo;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.scoring.ScorerSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigEnvSubstitutionTest {

    @Test
    void variablesAreReplacedAnywhereInAScalarAndBeforeTypeChecks() {
        TriageConfig config = parse("""
                server:
                  host: ${BIND}
                  port: ${PORT}
                providers:
                  local: {kind: openai, base_url: "http://${LLM_HOST}:${LLM_PORT}/v1"}
                """, Map.of("BIND", "0.0.0.0", "PORT", "9090", "LLM_HOST", "gpu-box", "LLM_PORT", "8000"));

        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.providers().get("local").baseUrl()).isEqualTo(URI.create("http://gpu-box:8000/v1"));
    }

    @Test
    void theDefaultAppliesWhenTheVariableIsUnsetOrEmpty() {
        String yaml = """
                server:
                  port: ${PORT:-8181}
                  host: ${BIND:-127.0.0.1}
                """;

        assertThat(parse(yaml, Map.of()).server().port()).isEqualTo(8181);
        assertThat(parse(yaml, Map.of()).server().host()).isEqualTo("127.0.0.1");
        assertThat(parse(yaml, Map.of("PORT", "")).server().port()).isEqualTo(8181);
        assertThat(parse(yaml, Map.of("PORT", "7070", "BIND", "::1")).server().port()).isEqualTo(7070);
        assertThat(parse(yaml, Map.of("PORT", "7070", "BIND", "::1")).server().host()).isEqualTo("::1");
    }

    @Test
    void anEmptyDefaultStillGoesThroughValidation() {
        assertThat(errors("server:\n  host: \"${BIND:-}\"\n", Map.of()))
                .isEqualTo("triage.yaml:2:9: server.host: cannot be empty");
    }

    @Test
    void anUnsetVariableWithoutDefaultIsAnErrorNamingTheVariableAndTheKey() {
        assertThat(errors("""
                storage:
                  ledger: jdbc:postgresql://db/triage
                  ledger_password: "${TRIAGE_DB_PASSWORD}"
                """, Map.of())).isEqualTo("triage.yaml:3:20: storage.ledger_password: environment variable"
                + " TRIAGE_DB_PASSWORD is not set; set it or write ${TRIAGE_DB_PASSWORD:-default}");
    }

    @Test
    void everyUnsetVariableOfAScalarIsNamed() {
        assertThat(errors("providers: {local: {kind: openai, base_url: \"http://${H}:${P}/v1\"}}", Map.of()))
                .isEqualTo("triage.yaml:1:45: providers.local.base_url: environment variable H is not set (nor P);"
                        + " set it or write ${H:-default}");
    }

    @Test
    void dollarDollarBraceIsALiteral() {
        TriageConfig config = parse("""
                storage: {ledger: "jdbc:postgresql://db/t", ledger_user: "u$${x}", ledger_password: "p$x${PW}"}
                """, Map.of("PW", "42"));

        assertThat(config.storage().ledgerUser()).isEqualTo("u${x}");
        assertThat(config.storage().ledgerPassword()).isEqualTo("p$x42");
    }

    @Test
    void malformedReferencesAreErrors() {
        assertThat(errors("server: {host: \"${BIND\"}", Map.of()))
                .isEqualTo("triage.yaml:1:16: server.host: '${' without a closing '}' (write $${ for a literal ${)");
        assertThat(errors("server: {host: \"${bind-addr}\"}", Map.of())).isEqualTo("triage.yaml:1:16: server.host:"
                + " '${bind-addr}' is not a variable reference (expected ${NAME} or ${NAME:-default})");
    }

    @Test
    void substitutedTextIsNotReadAsYaml() {
        TriageConfig config = parse("server:\n  api_keys: ${KEYS}\n", Map.of("KEYS", "[key-a-0123456789, key-b-0123456789]"));

        assertThat(config.server().apiKeys()).containsExactly("[key-a-0123456789, key-b-0123456789]");
    }

    @Test
    void routeBodiesAreSubstitutedToo() {
        TriageConfig config = parse("""
                routes:
                  cascade: {policy: cascade, stages: [{model: "${CHEAP:-gpt-4.1-mini}"}]}
                  auto: {policy: cascade, from: "${AUTO_ROUTE:-cascade}"}
                """, Map.of("CHEAP", "gpt-4.1-nano"));

        assertThat(config.routes().get("auto")).isEqualTo(new CascadeRouteSpec("auto",
                List.of(new CascadeRouteSpec.Stage("gpt-4.1-nano", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE));
        assertThat(errors("routes:\n  auto: {policy: \"${POLICY}\"}\n", Map.of()))
                .isEqualTo("triage.yaml:2:18: routes.auto.policy: environment variable POLICY is not set;"
                        + " set it or write ${POLICY:-default}");
    }

    @Test
    void aProviderWhoseKeyVariableIsUnsetIsDisabledNotAnError() {
        TriageConfig config = parse("""
                providers:
                  openai: {kind: openai, api_key: "${OPENAI_API_KEY}"}
                  anthropic: {kind: anthropic, api_key: "${ANTHROPIC_API_KEY}"}
                """, Map.of("ANTHROPIC_API_KEY", "tk-A7q2Zm9xLp4R"));

        ProviderConfig openai = config.providers().get("openai");
        assertThat(openai.enabled()).isFalse();
        assertThat(openai.apiKey()).isNull();
        assertThat(openai.disabledReason()).isEqualTo("environment variable OPENAI_API_KEY is not set");
        assertThat(config.providers().get("anthropic").enabled()).isTrue();
    }

    @Test
    void aProviderWhoseKeyIsEmptyIsDisabled() {
        TriageConfig config = parse("""
                providers:
                  a: {kind: openai, api_key: ""}
                  b: {kind: openai, api_key: "${B_KEY:-}"}
                  c: {kind: openai, api_key: }
                """, Map.of());

        assertThat(config.providers().values()).extracting(ProviderConfig::disabledReason)
                .containsExactly("api_key is empty", "api_key is empty", "api_key is empty");
    }

    @Test
    void modelsOfADisabledProviderAreUnavailable() {
        TriageConfig config = parse("""
                providers:
                  openai: {kind: openai, api_key: "${OPENAI_API_KEY}"}
                  sim: {kind: simulated}
                models:
                  local-small: {provider: sim, input_per_mtok: 0.01, output_per_mtok: 0.02, fallback: [gpt-4.1]}
                """, Map.of());

        ModelInfo gpt41 = config.catalog().find("gpt-4.1").orElseThrow();
        assertThat(config.isAvailable(gpt41)).isFalse();
        assertThat(config.catalog().all()).extracting(ModelInfo::id).contains("gpt-4.1", "local-small");
        assertThat(config.availableCatalog().all()).extracting(ModelInfo::id).containsExactly("local-small");
    }

    @Test
    void anApiKeyIsTrimmedOfSurroundingWhitespace() {
        TriageConfig config = parse("providers: {oa: {kind: openai, api_key: \"${K}\"}}", Map.of("K", "  key-with-newline\n"));

        assertThat(config.providers().get("oa").apiKey()).isEqualTo("key-with-newline");
    }

    @Test
    void mapKeysAreNeverSubstituted() {
        assertThat(errors("routes:\n  r: {policy: task, task_types: {\"${X}\": {model: gpt-4.1}}}\n", Map.of("X", "chat")))
                .isEqualTo("triage.yaml:2:34: routes.r.task_types.${X}: '${X}' is not a task type name (a lower-case word"
                        + " of letters, digits and '_', e.g. classification, summarization, code_generation, reasoning,"
                        + " fast_response, chat, extraction, translation)");
    }
}
