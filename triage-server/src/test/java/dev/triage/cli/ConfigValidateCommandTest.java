package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigValidateCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run validate(String yaml) throws Exception {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, yaml);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new TriageCli()).execute("config", "validate", file.toString());
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aValidFileExitsZeroWithASummary() throws Exception {
        Run r = validate("""
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
        Run r = validate("""
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
        Run r = validate("""
                routes:
                  auto: {policy: cascade, stages: [{model: gpt-4.1, accept_confidence: 0.5}]}
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(dir.resolve("triage.yaml") + ":2:72: routes.auto.stages[0].accept_confidence:"
                + " the last stage always answers; remove accept_confidence");
    }

    @Test
    void anInvalidFileExitsTwoAndNamesFileLineAndKey() throws Exception {
        Run r = validate("""
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
}
