package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidateCommandTest {

    @TempDir
    Path dir;

    private CliRun validate(String yaml) throws Exception {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, yaml);
        return CliRun.of("config", "validate", file.toString());
    }

    @Test
    void aValidFileExitsZeroWithASummary() throws Exception {
        CliRun r = validate("""
                providers:
                  sim: {kind: simulated, latency_ms: 5}
                models:
                  toy: {provider: sim, input_per_mtok: 0.5, output_per_mtok: 1}
                """);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("OK (1 providers, 1 enabled;");
    }

    @Test
    void theSummaryCountsRoutesCopiesIncluded() throws Exception {
        CliRun r = validate("""
                providers:
                  sim: {kind: simulated}
                models:
                  toy: {provider: sim, input_per_mtok: 0.5, output_per_mtok: 1}
                  big: {provider: sim, input_per_mtok: 5, output_per_mtok: 10}
                routes:
                  cascade: {policy: cascade, stages: [{model: toy, accept_confidence: 0.8}, {model: big}]}
                  tiered: {policy: tiered, tiers: {high: {models: [big], daily_budget_usd: 5}, low: {models: [toy]}}}
                  auto: {from: cascade}
                """);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(": OK (1 providers, 1 enabled; ").contains(" models; 3 routes)");
    }

    @Test
    void aBadRouteExitsTwoAndNamesItsLineAndKey() throws Exception {
        CliRun r = validate("""
                routes:
                  auto: {policy: cascade, stages: [{model: gpt-4.1, accept_confidence: 0.5}]}
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(dir.resolve("triage.yaml") + ":2:72: routes.auto.stages[0].accept_confidence:"
                + " the last stage always answers; remove accept_confidence");
    }

    @Test
    void anInvalidFileExitsTwoAndNamesFileLineAndKey() throws Exception {
        CliRun r = validate("""
                server:
                  port: 99999
                providers:
                  sim: {kind: smoke-signals}
                """);
        assertThat(r.exit()).isEqualTo(2);
        String file = dir.resolve("triage.yaml").toString();
        assertThat(r.err()).contains(file + ":2:").contains("server.port");
        assertThat(r.err()).contains(file + ":4:").contains("providers.sim.kind");
    }

    @Test
    void aRouteOnARetiredModelIsValidButWarnedAboutWithFileLineAndKey() throws Exception {
        CliRun r = validate("""
                providers:
                  openai: {kind: openai, api_key: ""}
                routes:
                  auto: {policy: cascade, stages: [{model: gpt-5.4-mini, accept_confidence: 0.8}, {model: gpt-4.5}]}
                """);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(": OK (1 providers, 0 enabled; ");
        assertThat(r.out()).contains("  warning: " + dir.resolve("triage.yaml") + ":4:91: routes.auto.stages[1].model: model 'gpt-4.5'"
                + " was retired by its vendor on 2025-07-14: calls to it fail upstream");
        assertThat(r.out().lines().filter(l -> l.contains("warning:")).count()).isEqualTo(1);
    }

    @Test
    void aDeprecatedModelIsWarnedAboutWithTheDateItRetiresAndACurrentOneNotAtAll() throws Exception {
        CliRun deprecated = validate("""
                providers:
                  google: {kind: gemini, api_key: ""}
                routes:
                  auto: {policy: tiered, tiers: {low: {models: [gemini-2.5-flash]}}}
                """);
        CliRun current = validate("""
                providers:
                  google: {kind: gemini, api_key: ""}
                routes:
                  auto: {policy: tiered, tiers: {low: {models: [gemini-3.1-flash-lite]}}}
                """);
        assertThat(deprecated.exit()).isZero();
        assertThat(deprecated.out()).contains("routes.auto.tiers.low.models[0]: model 'gemini-2.5-flash' is deprecated: its vendor"
                + " retires it on 2026-10-16");
        assertThat(current.exit()).isZero();
        assertThat(current.out()).doesNotContain("warning");
    }
}
