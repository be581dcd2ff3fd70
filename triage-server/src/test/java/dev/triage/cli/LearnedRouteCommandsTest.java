package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.app.OnDemandEmbedder;
import dev.triage.app.TriageApp;
import dev.triage.testing.HashingEmbedder;
import dev.triage.testing.SyntheticOutcomes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage route} explains a learned decision; {@code triage config validate} checks learned routes. */
class LearnedRouteCommandsTest {

    static final String CONFIG = """
            providers:
              sim: {kind: simulated}
            models:
              fast:   {provider: sim, input_per_mtok: 1, output_per_mtok: 2}
              steady: {provider: sim, input_per_mtok: 3, output_per_mtok: 4}
            routes:
              smart: {policy: learned, model_file: models/router.bin}
              checked:
                policy: cascade
                scorer: {kind: learned, model_file: models/router.bin}
                stages: [{model: fast, accept_confidence: 0.5}, {model: steady}]
            """;

    @TempDir
    Path dir;

    private final List<HashingEmbedder> embedders = new ArrayList<>();

    @BeforeEach
    void useTestEmbeddings() {
        SyntheticOutcomes.writeModelFile(dir.resolve("models/router.bin"), "fast", "steady");
        ConfigOption.embedders = () -> new OnDemandEmbedder(() -> {
            HashingEmbedder e = new HashingEmbedder();
            embedders.add(e);
            return Optional.of(e);
        });
    }

    @AfterEach
    void restore() {
        ConfigOption.embedders = TriageApp::embedder;
    }

    private CliRun run(String yaml, String... args) throws Exception {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, yaml);
        List<String> all = new ArrayList<>(List.of(args));
        all.replaceAll(a -> a.replace("FILE", file.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void routeExplainsALearnedDecisionWithThePredictedQualities() throws Exception {
        CliRun r = run(CONFIG, "route", "--config", "FILE", "--route", "smart", "Prove that the integral of sin(x) from 0 to 2 pi is zero.");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("route      smart (policy learned)")
                .contains("  1. steady -> fast\n")
                .containsPattern("  - predicted quality steady 1\\.00, fast 0\\.\\d\\d \\(model file models/router\\.bin\\)\n")
                .contains("  - cheapest within tolerance 0.05 of every dearer candidate: steady; errors and timeouts go to fast");
        assertThat(embedders).singleElement().satisfies(e -> assertThat(e.closed()).isTrue());
    }

    @Test
    void routeAsJsonCarriesThePredictedQualities() throws Exception {
        CliRun r = run(CONFIG, "route", "--config", "FILE", "--route", "smart", "--json", "Hello there!");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(r.out());
        assertThat(d.get("policy").asText()).isEqualTo("learned");
        assertThat(d.at("/steps/0/models").toString()).isEqualTo("[\"fast\",\"steady\"]");
        assertThat(d.get("predicted_quality").fieldNames()).toIterable().containsExactly("fast", "steady");
        assertThat(d.at("/predicted_quality/fast").asDouble()).isGreaterThanOrEqualTo(d.at("/predicted_quality/steady").asDouble() - 0.05);
    }

    @Test
    void validateNotesEachLearnedRoutesModelFile() throws Exception {
        CliRun r = run(CONFIG, "config", "validate", "FILE");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(": OK (1 providers, 1 enabled; ").contains("2 routes)")
                .contains("  note: learned route 'smart': model file models/router.bin (trained 2026-01-15T10:00:00Z on 44 prompts"
                        + " from synthetic outcomes for tests, embeddings test-hashing-384); candidates fast, steady, tolerance 0.05");
        assertThat(embedders).hasSize(1);
    }

    @Test
    void validateReportsAnUnusableModelFileWithFileLineAndKey() throws Exception {
        CliRun r = run(CONFIG.replace("model_file: models/router.bin}", "model_file: models/old.bin}"), "config", "validate", "FILE");

        assertThat(r.exit()).isEqualTo(2);
        String file = dir.resolve("triage.yaml").toString();
        String missing = dir.resolve("models/old.bin").toString();
        assertThat(r.err().strip()).isEqualTo(file + ":7:40: routes.smart.model_file: model file " + missing + ": no such file\n"
                + file + ":10:41: routes.checked.scorer.model_file: model file " + missing + ": no such file");
    }

    @Test
    void aConfigWithoutLearnedRoutesDoesNotLoadTheEmbedder() throws Exception {
        CliRun r = run("""
                providers:
                  sim: {kind: simulated}
                models:
                  fast: {provider: sim, input_per_mtok: 1, output_per_mtok: 2}
                routes:
                  c: {policy: cascade, stages: [{model: fast}]}
                """, "config", "validate", "FILE");

        assertThat(r.exit()).isZero();
        assertThat(embedders).isEmpty();
    }
}
