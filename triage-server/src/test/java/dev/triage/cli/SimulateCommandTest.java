package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.testing.SharedDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private static CliRun simulate(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(all);
    }

    @Test
    void jsonDecisionsAndPlotFollowTheContract() throws Exception {
        Path decisions = dir.resolve("d.jsonl");
        Path plot = dir.resolve("p.svg");
        CliRun r = simulate("--dataset", SharedDatasets.file("gsm8k.jsonl").toString(), "--strategies", "always-strong,random,oracle,cascade",
                "--format", "json", "--decisions", decisions.toString(), "--plot", plot.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("dataset").asText()).isEqualTo("gsm8k");
        assertThat(json.get("items").asInt()).isEqualTo(1307);
        JsonNode strong = json.get("strategies").get(0);
        assertThat(strong.get("name").asText()).isEqualTo("always-strong");
        for (String field : List.of("quality", "quality_pct_of_strong", "cost_per_request_usd", "cost_reduction_vs_strong_pct", "strong_call_pct")) {
            assertThat(strong.has(field)).as(field).isTrue();
        }
        assertThat(strong.get("quality").asDouble()).isEqualTo(0.8577); // 1,121 of 1,307 correct, the README's 0.858
        JsonNode random = json.get("strategies").get(1);
        assertThat(random.get("point").asText()).isEqualTo("p=0.0");
        assertThat(random.get("apgr").asDouble()).isBetween(0.47, 0.53);
        assertThat(random.has("cpt50")).isTrue();
        assertThat(random.has("cpt80")).isTrue();

        List<String> lines = Files.readAllLines(decisions);
        JsonNode first = new ObjectMapper().readTree(lines.getFirst());
        assertThat(first.get("strategy").asText()).isEqualTo("always-strong");
        assertThat(first.get("calls").get(0).asText()).isEqualTo("gpt-4-1106-preview");
        assertThat(first.has("point")).isTrue();
        assertThat(first.has("id")).isTrue();
        assertThat(first.get("final_model").asText()).isEqualTo("gpt-4-1106-preview");
        // random is averaged over seeds and has no per-item decisions; the others have one line per item and point
        assertThat(lines).hasSizeGreaterThanOrEqualTo(1307 * 3);

        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(plot.toFile());
        assertThat(svg.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(Files.readString(plot)).contains("Cost per request (USD").contains("oracle").contains("always strong");
    }

    @Test
    void aTableForTheDefaultStrategies() {
        CliRun r = simulate("--dataset", SharedDatasets.file("gsm8k.jsonl").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("always-strong").contains("always-weak").contains("random").contains("oracle")
                .contains("cascade").contains("task").contains("tiered").contains("APGR");
    }

    @Test
    void configRoutesNamingOtherModelsAreRefusedUnlessMapped() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                providers:
                  sim: {kind: simulated}
                models:
                  cheap: {provider: sim, input_per_mtok: 0.1, output_per_mtok: 0.2}
                  dear:  {provider: sim, input_per_mtok: 10, output_per_mtok: 20}
                routes:
                  mine:
                    policy: cascade
                    stages:
                      - {model: cheap, accept_confidence: 0.8}
                      - {model: dear}
                """);
        String data = SharedDatasets.file("gsm8k.jsonl").toString();
        CliRun refused = simulate("--dataset", data, "--config", config.toString(), "--strategies", "mine");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("route 'mine' names models the dataset has no outcomes for: cheap, dear");
        CliRun mapped = simulate("--dataset", data, "--config", config.toString(), "--strategies", "mine,always-strong",
                "--map", "cheap=mixtral-8x7b-instruct,dear=gpt-4-1106-preview");
        assertThat(mapped.exit()).as(mapped.err()).isZero();
        assertThat(mapped.out()).contains("config route 'mine' (cascade)");
    }

    @Test
    void badInputIsAClearError() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{not json}\n");
        Files.writeString(dir.resolve("bad.json"), "{}");
        CliRun r = simulate("--dataset", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.j");
        CliRun unknown = simulate("--dataset", SharedDatasets.file("gsm8k.jsonl").toString(), "--strategies", "telepathy");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown strategy 'telepathy'");
    }
}
