package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.testing.SharedDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cheapest} policy, added after the policy seam as three files (its spec, its reader, a line
 * in the reader registry): config validation with file:line:key, decisions, and the simulator all
 * take it without a change anywhere else.
 */
class CheapestPolicyTest {

    private static final String CONFIG = """
            providers:
              sim: {kind: simulated}
            models:
              small: {provider: sim, input_per_mtok: 0.1, output_per_mtok: 0.4, context_window: 1000}
              mid:   {provider: sim, input_per_mtok: 1, output_per_mtok: 4, context_window: 200000}
              dear:  {provider: sim, input_per_mtok: 10, output_per_mtok: 40, context_window: 400000}
            routes:
              thrifty: {policy: cheapest, models: [dear, small, mid]}
              floored: {policy: cheapest, models: [dear, small, mid], quality_floor: {model: mid}}
            """;

    @TempDir
    Path dir;

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("triage.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aShortPromptGoesToTheCheapestModelAndTheDearerOnesAreItsFallbacks() throws Exception {
        CliRun r = CliRun.of("route", "--config", config(CONFIG).toString(), "--route", "thrifty", "--json", "Hello there!");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(r.out());
        assertThat(d.get("policy").asText()).isEqualTo("cheapest");
        assertThat(d.at("/steps/0/models").toString()).isEqualTo("[\"small\",\"mid\",\"dear\"]");
    }

    @Test
    void aPromptTooLongForTheCheapestWindowSkipsItAndTheFloorDropsWhatIsBelowIt() throws Exception {
        Path file = config(CONFIG);
        String longPrompt = "Summarise the following notes about the quarterly planning meeting. ".repeat(120);

        CliRun tooLong = CliRun.of("route", "--config", file.toString(), "--route", "thrifty", longPrompt);
        assertThat(tooLong.exit()).as(tooLong.err()).isZero();
        assertThat(tooLong.out()).contains("route      thrifty (policy cheapest)").contains("  1. mid -> dear\n")
                .containsPattern("cheapest model whose context window holds about \\d+ tokens: mid \\(too small: small\\)");

        CliRun floored = CliRun.of("route", "--config", file.toString(), "--route", "floored", "--json", "Hello there!");
        assertThat(floored.exit()).as(floored.err()).isZero();
        assertThat(new ObjectMapper().readTree(floored.out()).at("/steps/0/models").toString()).isEqualTo("[\"mid\",\"dear\"]");
    }

    @Test
    void badConfigIsReportedWithFileLineAndKey() throws Exception {
        CliRun r = CliRun.of("config", "validate", config(CONFIG.replace("models: [dear, small, mid]}\n  floored",
                "models: [dear, smal, dear]}\n  empty: {policy: cheapest, models: []}\n  floored")).toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("triage.yaml:8:46: routes.thrifty.models[1]: unknown model 'smal'")
                .contains("did you mean 'small'?")
                .contains("triage.yaml:8:52: routes.thrifty.models[2]: 'dear' is already in this route")
                .contains("triage.yaml:9:37: routes.empty.models: a cheapest route needs at least one model");
    }

    @Test
    void theSimulatorReplaysACheapestRouteMappedOntoADataset() throws Exception {
        CliRun r = CliRun.of("simulate", "--dataset", SharedDatasets.file("gsm8k.jsonl").toString(), "--config", config(CONFIG).toString(),
                "--strategies", "thrifty,always-weak", "--map", "small=mixtral-8x7b-instruct,mid=gpt-4-1106-preview,dear=gpt-4-1106-preview",
                "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode strategies = new ObjectMapper().readTree(r.out()).get("strategies");
        JsonNode thrifty = null;
        JsonNode weak = null;
        for (JsonNode s : strategies) {
            String name = s.get("name").asText();
            if (name.contains("thrifty")) {
                thrifty = s;
            } else if (name.equals("always-weak")) {
                weak = s;
            }
        }
        assertThat(thrifty).as(r.out()).isNotNull();
        assertThat(weak).as(r.out()).isNotNull();
        // every gsm8k prompt fits the cheapest model: the route answers exactly as always-weak does
        assertThat(thrifty.get("accuracy")).isEqualTo(weak.get("accuracy"));
        assertThat(thrifty.get("cost_usd")).isEqualTo(weak.get("cost_usd"));
    }
}
