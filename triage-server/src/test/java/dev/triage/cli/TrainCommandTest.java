package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.testing.HashingEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code triage train --dataset} and {@code --show} on a small dataset written by the test, and every way they refuse. */
class TrainCommandTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Scores on a 0..10 scale, so training must move them to 0..1. */
    static final String MANIFEST = """
            {"name": "tiny", "score": {"min": 0, "max": 10, "kind": "graded"},
             "models": {"big": {"input_per_mtok": 10, "output_per_mtok": 30},
                        "small": {"input_per_mtok": 0.2, "output_per_mtok": 0.2},
                        "mute": {"input_per_mtok": 1, "output_per_mtok": 1}},
             "strong_model": "big", "weak_model": "small"}
            """;

    /**
     * Item {@code i}: an addition (even i), which "small" gets right, or a product minus a number (odd i),
     * which it gets wrong; "big" is always right; "mute" is right on every third item and records no text.
     */
    static String item(int i) {
        boolean easy = i % 2 == 0;
        int a = 3 + i;
        int b = 7 + 2 * i;
        int c = i % 5 + 1;
        String question = easy ? "What is " + a + " plus " + b + "?" : "What is " + a + " times " + b + " minus " + c + "?";
        int right = easy ? a + b : a * b - c;
        String work = easy ? a + " + " + b + " = <<" + a + "+" + b + "=" + right + ">>" + right
                : a + " * " + b + " - " + c + " = <<" + a + "*" + b + "-" + c + "=" + right + ">>" + right;
        ObjectNode line = JSON.createObjectNode();
        line.put("id", "q" + i);
        line.put("category", easy ? "addition" : "product");
        line.putArray("messages").add(message("system", "Answer with #### and the number.")).add(message("user", question));
        ObjectNode outcomes = line.putObject("outcomes");
        outcomes.putObject("big").put("score", 10).put("response", work + "\n#### " + right).put("output_tokens", 20);
        outcomes.putObject("small").put("score", easy ? 10 : 0).put("response", easy ? work + "\n#### " + right
                : "I think it is about " + (right + 7) + "\n#### " + (right + 7));
        outcomes.putObject("mute").put("score", i % 3 == 0 ? 10 : 0).put("output_tokens", 5);
        return line.toString();
    }

    private static ObjectNode message(String role, String content) {
        return JSON.createObjectNode().put("role", role).put("content", content);
    }

    Path dataset(int items, String... extraLines) throws IOException {
        Files.writeString(dir.resolve("tiny.json"), MANIFEST);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            lines.add(item(i));
        }
        lines.addAll(List.of(extraLines));
        return Files.writeString(dir.resolve("tiny.jsonl"), String.join("\n", lines) + "\n");
    }

    static TrainRunner.Run train(String... args) {
        return TrainRunner.train(new HashingEmbedder(), CLOCK, args);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void trainsOnADatasetAndWritesAModelFileThatSaysWhatItLearnedFrom() throws Exception {
        Path data = dataset(60);
        Path out = dir.resolve("models/router.bin");

        TrainRunner.Run r = train("--dataset", data.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        // Off a terminal, progress is plain lines (one per tenth) around the two that say what is happening.
        assertThat(r.err()).matches("triage train: embedding 60 prompts with test-hashing-384\n"
                + "(triage train: +\\d+% embedding 60 prompts\n)+"
                + "triage train: embedded in \\d+\\.\\d s; fitting\n"
                + "(triage train: 100% fitting: nearest neighbours and heads\n)?");
        JsonNode h = ModelFile.header(out);
        assertThat(h.path("format_version").asInt()).isEqualTo(ModelFile.FORMAT_VERSION);
        assertThat(h.path("trained_at").asText()).isEqualTo("2026-03-10T12:00:00Z");
        assertThat(h.path("source").asText()).isEqualTo("dataset tiny.jsonl");
        assertThat(h.path("source_sha256").asText()).isEqualTo(sha256(data));
        assertThat(h.path("examples").asInt()).isEqualTo(60);
        assertThat(h.path("embedder").asText()).isEqualTo(HashingEmbedder.ID);
        assertThat(h.path("models").findValuesAsText("id")).containsExactly("big", "small", "mute");
        JsonNode big = h.path("models").get(0);
        JsonNode small = h.path("models").get(1);
        JsonNode mute = h.path("models").get(2);
        assertThat(List.of(big.path("outcomes").asInt(), small.path("outcomes").asInt(), mute.path("outcomes").asInt()))
                .containsExactly(60, 60, 60);
        assertThat(List.of(big.path("answers").asInt(), small.path("answers").asInt(), mute.path("answers").asInt()))
                .containsExactly(60, 60, 0);
        // scores moved from the manifest's 0..10 to 0..1
        assertThat(big.path("mean_score").asDouble()).isEqualTo(1.0);
        assertThat(small.path("mean_score").asDouble()).isEqualTo(0.5);
        assertThat(mute.path("mean_score").asDouble()).isCloseTo(20 / 60.0, offset(1e-12));
        // "small" has both good and bad answers to learn acceptance from; "mute" records no text, so its
        // answers are empty (as the simulator replays them) and its acceptance head judges from the prompt alone
        assertThat(small.path("acceptance").isObject()).isTrue();
        assertThat(big.path("acceptance").isNull()).isTrue();
        assertThat(mute.path("acceptance").isObject()).isTrue();

        LearnedModel model = ModelFile.read(out, new HashingEmbedder());
        assertThat(model.models()).containsExactly("big", "small", "mute");
        assertThat(model.judgedModels()).containsExactly("small", "mute");
        String easy = "Answer with #### and the number.\nWhat is 12 plus 40?";
        String hard = "Answer with #### and the number.\nWhat is 12 times 40 minus 3?";
        assertThat(model.predictQuality(easy).get("small")).isGreaterThan(model.predictQuality(hard).get("small"));
        assertThat(model.acceptProbability("small", easy, "12 + 40 = <<12+40=52>>52\n#### 52", "stop")).isPresent();

        assertThat(r.out()).startsWith("Trained on 60 examples in ").contains(" and wrote " + out + "\n\n");
        assertThat(r.out()).contains(out + ": Triage model file, format version 1, " + ModelFileText.size(Files.size(out)) + "\n");
        assertThat(r.out()).containsPattern("(?m)^big +60 +60 +1\\.000  no: its answers were all good or all bad$");
        assertThat(r.out()).containsPattern("(?m)^small +60 +60 +0\\.500  yes$");
        assertThat(r.out()).containsPattern("(?m)^mute +60 +0 +0\\.333  yes, from the prompt only: no answer texts recorded$");
    }

    @Test
    void oneModelIsEnoughForACascadeScorer() throws Exception {
        Path out = dir.resolve("small.bin");

        TrainRunner.Run r = train("--dataset", dataset(60).toString(), "--out", out.toString(), "--models", "small");

        assertThat(r.exit()).as(r.err()).isZero();
        LearnedModel model = ModelFile.read(out, new HashingEmbedder());
        assertThat(model.models()).containsExactly("small");
        assertThat(model.judgedModels()).containsExactly("small");
    }

    @Test
    void onATerminalProgressIsABarThatIsClearedAtTheEnd() throws IOException {
        TrainCommand command = new TrainCommand();
        command.clock = CLOCK;
        command.embedders = () -> Optional.of(new HashingEmbedder());
        command.terminal = true;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        command.stdout = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        int exit = new CommandLine(command).execute("--dataset", dataset(60).toString(), "--out", dir.resolve("r.bin").toString());

        String bar = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(bar).startsWith("\r[").contains("] 100% embedding 60 prompts").contains("] 100% fitting: nearest neighbours and heads")
                .doesNotContain("\n").endsWith("\r");
    }

    @Test
    void showPrintsAModelFilesHeaderAsATableOrAsJson() throws Exception {
        Path data = dataset(60);
        Path out = dir.resolve("router.bin");
        assertThat(train("--dataset", data.toString(), "--out", out.toString()).exit()).isZero();

        TrainRunner.Run table = train("--show", out.toString());
        TrainRunner.Run json = train("--show", out.toString(), "--format", "json");

        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).isEqualTo(out + ": Triage model file, format version 1, " + ModelFileText.size(Files.size(out)) + "\n"
                + "  trained at   2026-03-10T12:00:00Z\n"
                + "  source       dataset tiny.jsonl\n"
                + "  sha256       " + sha256(data) + "\n"
                + "  examples     60 prompts\n"
                + "  embeddings   test-hashing-384\n"
                + "  settings     80 neighbours, l2 1.0, acceptance heads from 30 answers\n"
                + "\n"
                + "model                         outcomes   answers mean score  cascade scorer (acceptance head)\n"
                + "-".repeat(93) + "\n"
                + "big                                 60        60      1.000  no: its answers were all good or all bad\n"
                + "small                               60        60      0.500  yes\n"
                + "mute                                60         0      0.333  yes, from the prompt only: no answer texts recorded\n");
        assertThat(json.exit()).isZero();
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.path("file").asText()).isEqualTo(out.toString());
        assertThat(j.path("bytes").asLong()).isEqualTo(Files.size(out));
        assertThat(j.path("header")).isEqualTo(ModelFile.header(out));
    }

    @Test
    void neighboursAndL2AreTheSettingsTheModelIsTrainedWithAndItsFileRecords() throws Exception {
        Path data = dataset(60);
        Path out = dir.resolve("router.bin");

        TrainRunner.Run r = train("--dataset", data.toString(), "--out", out.toString(), "--neighbours", "7", "--l2", "0.25");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode settings = ModelFile.header(out).path("settings");
        assertThat(settings.path("neighbours").asInt()).isEqualTo(7);
        assertThat(settings.path("l2").asDouble()).isEqualTo(0.25);
        assertThat(settings.path("min_answers").asInt()).isEqualTo(30);
        assertThat(ModelFile.read(out, new HashingEmbedder()).provenance().settings())
                .isEqualTo(new dev.triage.learn.TrainingSettings(7, 0.25, 30));
        assertThat(train("--show", out.toString()).out()).contains("  settings     7 neighbours, l2 0.25, acceptance heads from 30 answers\n");
    }

    @Test
    void badNeighboursOrL2AreRefusedBeforeAnyWork() throws IOException {
        String data = dataset(60).toString();
        String out = dir.resolve("r.bin").toString();
        Map<List<String>, String> cases = Map.of(
                List.of("--neighbours", "0"), "Invalid value for option '--neighbours': expected a whole number of at least 1, got 0",
                List.of("--neighbours", "many"), "Invalid value for option '--neighbours': expected a whole number of at least 1, got 'many'",
                List.of("--l2", "-0.5"), "Invalid value for option '--l2': expected a finite number of at least 0, got -0.5",
                List.of("--l2", "NaN"), "Invalid value for option '--l2': expected a finite number of at least 0, got NaN");
        cases.forEach((bad, message) -> {
            List<String> args = new ArrayList<>(List.of("train", "--dataset", data, "--out", out));
            args.addAll(bad);
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(bad.toString()).isEqualTo(2);
            assertThat(r.err()).as(bad.toString()).startsWith(message + "\n").contains("Usage: triage train");
        });
        assertThat(dir.resolve("r.bin")).doesNotExist();

        TrainRunner.Run show = train("--show", out, "--neighbours", "5");
        assertThat(show.exit()).isEqualTo(2);
        assertThat(show.err()).isEqualTo("triage train: --neighbours and --l2 are for training; --show prints the settings a model file"
                + " was trained with\n");
    }

    @Test
    void withoutAnEmbeddingsModuleItExitsTwoNamingTheModuleAndWritesNothing() throws IOException {
        Path out = dir.resolve("out/router.bin");

        TrainRunner.Run r = TrainRunner.train(Optional::empty, CLOCK, "--dataset", dataset(60).toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("triage train: learned routing needs text embeddings").contains("triage-embeddings")
                .endsWith("nothing was written\n");
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingOrBrokenDatasetIsReportedWithFileAndLine() throws IOException {
        Path out = dir.resolve("router.bin");
        TrainRunner.Run missing = train("--dataset", dir.resolve("nope.jsonl").toString(), "--out", out.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo(dir.resolve("nope.jsonl") + ": no such file\n");

        Path data = dataset(60, "{\"id\": \"bad\", \"messages\": []}");
        TrainRunner.Run broken = train("--dataset", data.toString(), "--out", out.toString());
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.err()).startsWith(data + ":61: \"messages\" must be a non-empty array");
        assertThat(out).doesNotExist();
    }

    @Test
    void tooFewItemsOrAModelWithTooFewOutcomesSayWhatIsThereAndWhatIsNeeded() throws IOException {
        Path out = dir.resolve("router.bin");
        TrainRunner.Run few = train("--dataset", dataset(20).toString(), "--out", out.toString());
        assertThat(few.exit()).isEqualTo(2);
        assertThat(few.err()).isEqualTo("triage train: tiny.jsonl has 20 items; training needs at least 50; nothing was written\n");

        // a fourth model recorded on 5 items only
        ObjectNode rare = (ObjectNode) JSON.readTree(item(60));
        ((ObjectNode) rare.get("outcomes")).putObject("rare").put("score", 5);
        String[] rareLines = new String[5];
        for (int i = 0; i < 5; i++) {
            ObjectNode line = rare.deepCopy();
            line.put("id", "rare" + i);
            rareLines[i] = line.toString();
        }
        Path data = dataset(60, rareLines);
        TrainRunner.Run sparse = train("--dataset", data.toString(), "--out", out.toString());
        assertThat(sparse.exit()).isEqualTo(2);
        assertThat(sparse.err()).isEqualTo("triage train: model rare has outcomes on only 5 of the 65 items; each model needs "
                + "at least 10: record more, or leave it out with --models big,small,mute; nothing was written\n");

        TrainRunner.Run chosen = train("--dataset", data.toString(), "--out", out.toString(), "--models", "big,small");
        assertThat(chosen.exit()).as(chosen.err()).isZero();
        assertThat(ModelFile.header(out).path("models").findValuesAsText("id")).containsExactly("big", "small");

        TrainRunner.Run unknown = train("--dataset", data.toString(), "--out", dir.resolve("other.bin").toString(),
                "--models", "big,gpt-9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("triage train: model gpt-9 has no outcomes in tiny.jsonl (it has: big, small, mute, "
                + "rare); nothing was written\n");
        assertThat(dir.resolve("other.bin")).doesNotExist();
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeAnyWork() throws IOException {
        Path data = dataset(60);
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a directory");
        HashingEmbedder embedder = new HashingEmbedder();

        TrainRunner.Run underAFile = TrainRunner.train(embedder, CLOCK, "--dataset", data.toString(), "--out",
                file.resolve("router.bin").toString());
        TrainRunner.Run aDirectory = TrainRunner.train(embedder, CLOCK, "--dataset", data.toString(), "--out", dir.toString());

        assertThat(underAFile.exit()).isEqualTo(2);
        assertThat(underAFile.err()).isEqualTo("triage train: cannot write " + file.resolve("router.bin") + ": " + file
                + " is not a directory; nothing was written\n");
        assertThat(aDirectory.exit()).isEqualTo(2);
        assertThat(aDirectory.err()).isEqualTo("triage train: cannot write " + dir + ": it is a directory; nothing was written\n");
        assertThat(embedder.embedded()).isZero();
    }

    @Test
    void argumentsThatDoNotMakeOneCommandAreRefused() throws IOException {
        String data = dataset(60).toString();
        Map<List<String>, String> cases = Map.of(
                List.of("--out", "r.bin"), "give one of --dataset FILE, --from-ledger or --show FILE",
                List.of("--dataset", data, "--from-ledger", "--out", "r.bin"), "give one of --dataset FILE, --from-ledger or --show FILE",
                List.of("--dataset", data), "--out FILE is required: where to write the model (e.g. --out router.bin)",
                List.of("--show", "r.bin", "--out", "s.bin"), "--out does not go with --show",
                List.of("--dataset", data, "--out", "r.bin", "--since", "7d"), "--config, --since, --from and --to go with --from-ledger",
                List.of("--from-ledger", "--out", "r.bin", "--since", "7d", "--from", "2026-01-01"), "give --since or --from/--to, not both",
                List.of("--show", "r.bin", "--format", "yaml"), "--format must be table or json");
        cases.forEach((args, message) -> {
            TrainRunner.Run r = train(args.toArray(String[]::new));
            assertThat(r.exit()).as(args.toString()).isEqualTo(2);
            assertThat(r.err()).as(args.toString()).isEqualTo("triage train: " + message + "\n");
        });
        assertThat(dir.resolve("r.bin")).doesNotExist();
    }

    @Test
    void aSqliteLedgerThatDoesNotExistIsNotCreatedButReported() throws IOException {
        Path ledger = dir.resolve("data/ledger.db");
        Path config = Files.writeString(dir.resolve("triage.yaml"), "storage: {ledger: \"sqlite:" + ledger + "\"}\n");

        TrainRunner.Run r = train("--from-ledger", "--config", config.toString(), "--out", dir.resolve("r.bin").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("triage train: there is no ledger at " + ledger + " (storage.ledger in " + config
                + "); give the gateway's config with --config\n");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void showRefusesWhatIsNotAModelFileOfThisVersion() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.bin"), "hello");
        Path future = dir.resolve("future.bin");
        try (OutputStream o = Files.newOutputStream(future); DataOutputStream d = new DataOutputStream(o)) {
            d.write("TRIAGEML".getBytes(StandardCharsets.US_ASCII));
            d.writeInt(ModelFile.FORMAT_VERSION + 1);
        }

        TrainRunner.Run missing = train("--show", dir.resolve("none.bin").toString());
        TrainRunner.Run notModel = train("--show", text.toString());
        TrainRunner.Run otherVersion = train("--show", future.toString());

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("triage train: model file " + dir.resolve("none.bin") + ": no such file\n");
        assertThat(notModel.exit()).isEqualTo(2);
        assertThat(notModel.err()).isEqualTo("triage train: model file " + text
                + ": not a Triage model file (it does not start with TRIAGEML)\n");
        assertThat(otherVersion.exit()).isEqualTo(2);
        assertThat(otherVersion.err()).isEqualTo("triage train: model file " + future + ": model file format version "
                + (ModelFile.FORMAT_VERSION + 1) + ", but this Triage reads version " + ModelFile.FORMAT_VERSION + " only\n");
    }
}
