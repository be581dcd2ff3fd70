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

    /** Three models known by recorded costs alone ($0.001, $0.002, $0.004 an answer), no strong or weak named. */
    private Path threeModels() throws Exception {
        Files.writeString(dir.resolve("three.json"), "{\"name\": \"three\", \"score\": {\"min\": 0, \"max\": 1}}");
        StringBuilder lines = new StringBuilder();
        double[][] scores = {{1, 1, 1}, {0, 1, 1}, {0, 0, 1}, {0, 0, 0}};
        for (int i = 0; i < scores.length; i++) {
            lines.append("{\"id\": \"q").append(i).append("\", \"category\": \"c").append(i % 2)
                    .append("\", \"messages\": [{\"role\": \"user\", \"content\": \"question ").append(i).append("\"}], \"outcomes\": {")
                    .append("\"a\": {\"score\": ").append(scores[i][0]).append(", \"cost_usd\": 0.001}, ")
                    .append("\"b\": {\"score\": ").append(scores[i][1]).append(", \"cost_usd\": 0.002}, ")
                    .append("\"c\": {\"score\": ").append(scores[i][2]).append(", \"cost_usd\": 0.004}}}\n");
        }
        return Files.writeString(dir.resolve("three.jsonl"), lines.toString());
    }

    @Test
    void aFileOfManyModelsIsComparedWithEachModelAndTheirFrontier() throws Exception {
        Path data = threeModels();
        Path plot = dir.resolve("three.svg");
        CliRun r = simulate("--dataset", data.toString(), "--strategies", "always-strong,always-weak,oracle,random", "--format", "json",
                "--plot", plot.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("strong_model").asText()).isEqualTo("c");
        assertThat(json.get("weak_model").asText()).isEqualTo("a");
        assertThat(json.get("best_model").asText()).isEqualTo("c");
        JsonNode models = json.get("models");
        assertThat(models).hasSize(3);
        assertThat(models.get(1).get("id").asText()).isEqualTo("b");
        assertThat(models.get(1).get("cost_per_request_usd").decimalValue()).isEqualByComparingTo("0.002");
        assertThat(models.get(1).get("quality").asDouble()).isEqualTo(0.5);
        assertThat(models.get(1).get("frontier").asBoolean()).as("above the a–c chord").isTrue();
        JsonNode oracle = json.get("strategies").get(2);
        assertThat(oracle.get("quality").asDouble()).isEqualTo(0.75);
        assertThat(oracle.get("cost_per_request_usd").decimalValue()).as("a, b, c, and a for the item none gets").isEqualByComparingTo("0.002");
        JsonNode random = json.get("strategies").get(3);
        assertThat(random.get("cost_to_match_best_pct").asDouble()).as("only p = 1 reaches c's quality").isEqualTo(100.0);
        assertThat(random.get("quality_at_10pct_cost").isNull()).as("$0.0004 is below a's cost").isTrue();
        assertThat(random.get("quality_at_25pct_cost").asDouble()).as("$0.001: everything to a").isEqualTo(0.25);
        assertThat(random.get("area_vs_frontier").asDouble()).as("mixing a and c passes under b").isNegative();
        assertThat(Files.readString(plot)).contains("single-model frontier").contains(">b<");

        CliRun table = simulate("--dataset", data.toString(), "--strategies", "random");
        assertThat(table.out()).contains("3 models; strong c, weak a (picked: the best on average and the cheapest")
                .contains("against the best single model, c ($0.004000, quality 0.750)");
    }

    @Test
    void neighboursAndL2SetHowCvTrainsTheLearnedRouter() throws Exception {
        Files.writeString(dir.resolve("tiny.json"), TrainCommandTest.MANIFEST);
        Files.write(dir.resolve("tiny.jsonl"), java.util.stream.IntStream.range(0, 60).mapToObj(TrainCommandTest::item).toList());
        String data = dir.resolve("tiny.jsonl").toString();
        var real = SimulateCommand.embedders;
        SimulateCommand.embedders = () -> java.util.Optional.of(new dev.triage.testing.HashingEmbedder());
        try {
            List<String> defaults = learnedPoints(simulate("--dataset", data, "--strategies", "always-strong,always-weak,learned",
                    "--cv", "3", "--format", "json"));
            List<String> sameAsDefaults = learnedPoints(simulate("--dataset", data, "--strategies", "always-strong,always-weak,learned",
                    "--cv", "3", "--format", "json", "--neighbours", "80", "--l2", "1"));
            List<String> oneNeighbour = learnedPoints(simulate("--dataset", data, "--strategies", "always-strong,always-weak,learned",
                    "--cv", "3", "--format", "json", "--neighbours", "1"));

            assertThat(defaults).isNotEmpty().isEqualTo(sameAsDefaults);
            // each of 40 training prompts votes with k = 80; with k = 1 only the nearest does, and the sweep moves
            assertThat(oneNeighbour).isNotEqualTo(defaults);
        } finally {
            SimulateCommand.embedders = real;
        }
    }

    /** The learned sweep's points as "point quality cost", to compare two runs. */
    private static List<String> learnedPoints(CliRun r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> points = new java.util.ArrayList<>();
        for (JsonNode s : new ObjectMapper().readTree(r.out()).get("strategies")) {
            if (s.get("name").asText().equals("learned")) {
                points.add(s.get("point").asText() + " " + s.get("quality").asText() + " " + s.get("cost_per_request_usd").asText());
            }
        }
        return points;
    }

    @Test
    void badNeighboursOrL2AreRefused() throws Exception {
        String data = threeModels().toString();
        CliRun zero = simulate("--dataset", data, "--strategies", "learned", "--cv", "2", "--neighbours", "0");
        CliRun negative = simulate("--dataset", data, "--strategies", "learned", "--cv", "2", "--l2", "-1");
        CliRun withoutCv = simulate("--dataset", data, "--strategies", "learned", "--neighbours", "20");
        CliRun withModel = simulate("--dataset", data, "--strategies", "learned", "--router-model", "r.bin", "--l2", "3");
        CliRun onTrace = simulate("--trace", tinyTrace().toString(), "--neighbours", "20");

        assertThat(List.of(zero.exit(), negative.exit(), withoutCv.exit(), withModel.exit(), onTrace.exit())).containsOnly(2);
        assertThat(zero.err()).startsWith("Invalid value for option '--neighbours': expected a whole number of at least 1, got 0\n");
        assertThat(negative.err()).startsWith("Invalid value for option '--l2': expected a finite number of at least 0, got -1\n");
        assertThat(withoutCv.err()).isEqualTo("triage simulate: --neighbours and --l2 set how --cv trains its models; add --cv K\n");
        assertThat(withModel.err()).isEqualTo("triage simulate: --neighbours and --l2 set how --cv trains its models"
                + " (a --router-model file keeps the settings it was trained with)\n");
        assertThat(onTrace.err()).isEqualTo("triage simulate: --neighbours applies to --dataset, not to --trace\n");
    }

    @Test
    void cvGroupNeedsCv() throws Exception {
        CliRun r = simulate("--dataset", threeModels().toString(), "--strategies", "learned", "--cv-group", "category");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--cv-group groups the folds of --cv; add --cv K");
        CliRun ungrouped = simulate("--dataset", threeModels().toString(), "--strategies", "learned", "--cv", "2", "--cv-labelled", "5");
        assertThat(ungrouped.exit()).isEqualTo(2);
        assertThat(ungrouped.err()).contains("--cv-labelled adds labelled items of held-out groups; add --cv K --cv-group FIELD");
        CliRun negative = simulate("--dataset", threeModels().toString(), "--strategies", "learned", "--cv", "2", "--cv-group",
                "category", "--cv-labelled", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("--cv-labelled must be >= 0, got -1");
    }

    @Test
    void aTableForTheDefaultStrategies() {
        CliRun r = simulate("--dataset", SharedDatasets.file("gsm8k.jsonl").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("always-strong").contains("always-weak").contains("random").contains("oracle")
                .contains("cascade").contains("task").contains("tiered").contains("APGR");
        // 100 columns at most, and what each strategy does said whole below the table rather than cut in a column.
        assertThat(r.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
        assertThat(r.out()).doesNotContain("…")
                .contains("\nWhat each strategy does:\n")
                .contains("\n  oracle          the cheapest model that scores best, per item (upper bound)\n")
                .containsPattern("\n  cascade         weak model; keep its answer if heuristic confidence [^\n]*\n");
        assertThat(r.out().split("\n  cascade  ", -1)).as("one description for all of cascade's points").hasSize(2);
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

    /** One three-turn conversation and three one-turn ones (the engine's TraceStrategiesTest bills it by hand). */
    private Path tinyTrace() throws Exception {
        Path file = dir.resolve("t.jsonl");
        Files.writeString(file, """
                {"timestamp": 0, "input_length": 1300, "output_length": 100, "hash_ids": [1, 2, 3]}
                {"timestamp": 10000, "input_length": 2048, "output_length": 100, "hash_ids": [50, 51, 52, 53]}
                {"timestamp": 20000, "input_length": 2048, "output_length": 100, "hash_ids": [60, 61, 62, 63]}
                {"timestamp": 60000, "input_length": 1800, "output_length": 100, "hash_ids": [1, 2, 30, 4]}
                {"timestamp": 70000, "input_length": 2048, "output_length": 100, "hash_ids": [70, 71, 72, 73]}
                {"timestamp": 120000, "input_length": 2600, "output_length": 100, "hash_ids": [1, 2, 30, 40, 5, 6]}
                """);
        return file;
    }

    @Test
    void aTraceReplayedAsJsonFollowsTheContract() throws Exception {
        CliRun r = simulate("--trace", tinyTrace().toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("requests", "model", "strategies");
        assertThat(json.get("requests").asInt()).isEqualTo(6);
        assertThat(json.get("model").asText()).isEqualTo("claude-sonnet-4.5");
        assertThat(json.get("strategies")).extracting(s -> s.get("name").asText())
                .containsExactly("no-cache", "naive", "triage", "hindsight", "oracle");
        JsonNode triage = json.get("strategies").get(2);
        assertThat(triage.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("name", "cost_usd", "input_cost_usd", "cached_read_tokens", "cache_write_tokens");
        // the conversation: 1,300 plain; 1,800 written; 1,800 read and 800 written; the one-turn ones plain
        assertThat(triage.get("input_cost_usd").decimalValue()).isEqualByComparingTo("0.032622");
        assertThat(triage.get("cost_usd").decimalValue()).isEqualByComparingTo("0.041622"); // 600 output tokens at $15/M
        assertThat(triage.get("cached_read_tokens").asLong()).isEqualTo(1800);
        assertThat(triage.get("cache_write_tokens").asLong()).isEqualTo(2600);
        JsonNode noCache = json.get("strategies").get(0);
        assertThat(noCache.get("input_cost_usd").decimalValue()).isEqualByComparingTo("0.035532"); // 11,844 tokens at $3/M

        CliRun some = simulate("--trace", tinyTrace().toString(), "--format", "json", "--strategies", "oracle,triage",
                "--model", "claude-opus-4.5");
        assertThat(some.exit()).as(some.err()).isZero();
        JsonNode opus = new ObjectMapper().readTree(some.out());
        assertThat(opus.get("model").asText()).isEqualTo("claude-opus-4.5");
        // Opus 4.5 caches nothing under 4,096 tokens: every strategy is plain input at $5/M
        assertThat(opus.get("strategies")).extracting(s -> s.get("input_cost_usd").decimalValue().toPlainString())
                .containsExactly("0.05922", "0.05922");
    }

    @Test
    void theDevelopmentTraceAsATable() {
        var file = SharedDatasets.trace("mooncake-conversation.jsonl");
        CliRun r = simulate("--trace", file.toString(), "--part", "2/2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("mooncake-conversation.jsonl (part 2/2): 6,425 requests")
                .contains("÷ oracle")
                .containsPattern("triage .* \\$200\\.23 .* 1\\.193x")
                .containsPattern("oracle .* \\$167\\.86 .* 1\\.000x")
                .contains("\n  triage      the gateway's CachePlanner: system, previous prompt, end\n");
        assertThat(r.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
    }

    @Test
    void badCombinationsExitTwoWithOneLine() throws Exception {
        String trace = tinyTrace().toString();
        String data = SharedDatasets.file("gsm8k.jsonl").toString();
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"timestamp\": 0, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [1, 2]}\n{\"timestamp\": 1}\n");
        List<List<String>> cases = List.of(
                List.of(),
                List.of("--dataset", data, "--trace", trace),
                List.of("--trace", trace, "--plot", dir.resolve("p.svg").toString()),
                List.of("--trace", trace, "--seeds", "5"),
                List.of("--dataset", data, "--model", "claude-sonnet-4.5"),
                List.of("--dataset", data, "--part", "1/2"),
                List.of("--trace", bad.toString()),
                List.of("--trace", trace, "--model", "gpt-4o"),
                List.of("--trace", trace, "--model", "nope"),
                List.of("--trace", trace, "--part", "3/2"),
                List.of("--trace", trace, "--part", "half"),
                List.of("--trace", trace, "--cache-ttl", "2h"),
                List.of("--trace", trace, "--strategies", "telepathy"),
                List.of("--trace", dir.toString()));
        List<String> expected = List.of(
                "give either --dataset FILE (a routing benchmark) or --trace FILE (a request trace)",
                "give either --dataset FILE",
                "--plot applies to --dataset, not to --trace",
                "--seeds applies to --dataset, not to --trace",
                "--model applies to --trace, not to --dataset",
                "--part applies to --trace, not to --dataset",
                "bad.jsonl:2: \"input_length\" is missing",
                "--trace replays Anthropic's prompt cache; gpt-4o is served by openai",
                "--model nope is not in the price catalog",
                "--part: a part is K/N with 1 <= K <= N, got 3/2",
                "--part takes K/N",
                "--cache-ttl: expected 5m or 1h, got '2h'",
                "unknown strategy 'telepathy' for a trace; known: no-cache, naive, triage, hindsight, oracle",
                "cannot read " + dir);
        for (int i = 0; i < cases.size(); i++) {
            CliRun r = simulate(cases.get(i).toArray(String[]::new));
            assertThat(r.exit()).as("%s", cases.get(i)).isEqualTo(2);
            assertThat(r.err().lines()).as("%s", cases.get(i)).hasSize(1);
            assertThat(r.err()).as("%s", cases.get(i)).startsWith("triage simulate: ").contains(expected.get(i));
        }
    }
}
