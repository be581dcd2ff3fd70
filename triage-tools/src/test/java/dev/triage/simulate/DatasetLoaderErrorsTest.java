package dev.triage.simulate;

import static dev.triage.simulate.DatasetFiles.GOOD_LINE;
import static dev.triage.simulate.DatasetFiles.MANIFEST;
import static dev.triage.simulate.DatasetFiles.line;
import static dev.triage.simulate.DatasetFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a dataset can be wrong, and the exact {@code file:line: what} the user is told. */
class DatasetLoaderErrorsTest {

    @TempDir
    Path dir;

    private String jsonl() {
        return dir.resolve("tiny.jsonl").toString();
    }

    private String manifest() {
        return dir.resolve("tiny.json").toString();
    }

    private List<String> problems(String manifest, String... lines) {
        Path file = write(dir, manifest, lines);
        return catchThrowableOfType(DatasetException.class, () -> DatasetLoader.load(file)).problems();
    }

    /** The problems with a file whose line 1 is good and line 2 is {@code bad}. */
    private List<String> secondLine(String bad) {
        return problems(MANIFEST, GOOD_LINE, bad);
    }

    private static String withOutcomes(String outcomes) {
        return "{\"id\": \"q2\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"outcomes\": " + outcomes + "}";
    }

    // --- lines ---

    @Test
    void malformedJsonNamesTheLineAndColumn() {
        List<String> p = secondLine("{\"id\": \"q2\", ");
        assertThat(p).hasSize(1);
        assertThat(p.getFirst()).startsWith(jsonl() + ":2: malformed JSON at column 14: Unexpected end-of-input");
    }

    @Test
    void twoObjectsOnOneLineAreRejected() {
        assertThat(secondLine(GOOD_LINE + " " + GOOD_LINE)).containsExactly(
                jsonl() + ":2: more than one JSON value at column " + (GOOD_LINE.length() + 2)
                        + " (the format is one object per line)");
    }

    @Test
    void aRepeatedKeyIsMalformed() {
        assertThat(secondLine("{\"id\": \"a\", \"id\": \"b\"}"))
                .containsExactly(jsonl() + ":2: malformed JSON at column 17: Duplicate field 'id'");
    }

    @Test
    void aLineMustBeAnObject() {
        assertThat(secondLine("[1, 2]")).containsExactly(jsonl() + ":2: expected a JSON object, found array");
    }

    @Test
    void theIdIsRequiredAndIsAString() {
        assertThat(secondLine(GOOD_LINE.replace("\"id\": \"q1\", ", "")))
                .containsExactly(jsonl() + ":2: \"id\" is missing");
        assertThat(secondLine(GOOD_LINE.replace("\"id\": \"q1\"", "\"id\": 7")))
                .containsExactly(jsonl() + ":2: \"id\" must be a non-empty string, found 7");
    }

    @Test
    void aCategoryIfGivenIsAString() {
        assertThat(secondLine(line("q2", 1, 0).replace("\"math\"", "3")))
                .containsExactly(jsonl() + ":2: \"category\" must be a string, found 3");
    }

    @Test
    void messagesAreRequired() {
        assertThat(secondLine(withOutcomes("{}").replace("\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], ", "")))
                .contains(jsonl() + ":2: \"messages\" is missing");
    }

    @Test
    void messagesAreANonEmptyArrayOfRoleAndContent() {
        String outcomes = "{\"big\": {\"score\": 1}, \"small\": {\"score\": 1}}";
        assertThat(secondLine(withOutcomes(outcomes).replace("[{\"role\": \"user\", \"content\": \"hi\"}]", "\"hi\"")))
                .containsExactly(jsonl() + ":2: \"messages\" must be a non-empty array of {role, content} objects");
        assertThat(secondLine(withOutcomes(outcomes).replace("[{\"role\": \"user\", \"content\": \"hi\"}]", "[]")))
                .containsExactly(jsonl() + ":2: \"messages\" must be a non-empty array of {role, content} objects");
        assertThat(secondLine(withOutcomes(outcomes).replace("{\"role\": \"user\", \"content\": \"hi\"}", "{\"role\": \"user\", \"content\": \"hi\"}, \"bye\"")))
                .containsExactly(jsonl() + ":2: messages[1] must be an object with \"role\" and \"content\"");
        assertThat(secondLine(withOutcomes(outcomes).replace("\"role\": \"user\", ", "")))
                .containsExactly(jsonl() + ":2: messages[0].role must be a string such as \"user\"");
        assertThat(secondLine(withOutcomes(outcomes).replace("\"content\": \"hi\"", "\"content\": 42")))
                .containsExactly(jsonl() + ":2: messages[0].content must be a string or an array of content parts");
        assertThat(secondLine(withOutcomes(outcomes).replace(", \"content\": \"hi\"", "")))
                .containsExactly(jsonl() + ":2: messages[0].content must be a string or an array of content parts");
    }

    @Test
    void outcomesAreRequiredAndMapModelsToOutcomes() {
        assertThat(secondLine(withOutcomes("{}").replace(", \"outcomes\": {}", "")))
                .containsExactly(jsonl() + ":2: \"outcomes\" is missing");
        assertThat(secondLine(withOutcomes("[1]")))
                .containsExactly(jsonl() + ":2: \"outcomes\" must map model ids to {score, response?, output_tokens?}");
        assertThat(secondLine(withOutcomes("{\"big\": 1, \"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: outcomes.\"big\" must be an object {score, response?, output_tokens?}");
    }

    @Test
    void everyOutcomeHasANumericScoreOnTheManifestsScale() {
        assertThat(secondLine(withOutcomes("{\"big\": {\"response\": \"4\"}, \"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: outcomes.\"big\".score is missing");
        assertThat(secondLine(withOutcomes("{\"big\": {\"score\": \"high\"}, \"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: outcomes.\"big\".score must be a number, found \"high\"");
        assertThat(secondLine(withOutcomes("{\"big\": {\"score\": 1.5}, \"small\": {\"score\": -0.25}}"))).containsExactly(
                jsonl() + ":2: outcomes.\"big\".score 1.5 is outside the manifest's scale [0, 1]",
                jsonl() + ":2: outcomes.\"small\".score -0.25 is outside the manifest's scale [0, 1]");
    }

    @Test
    void outputTokensAreAWholeNonNegativeNumber() {
        assertThat(secondLine(withOutcomes("{\"big\": {\"score\": 1, \"output_tokens\": -3}, \"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: outcomes.\"big\".output_tokens cannot be negative, found -3");
        assertThat(secondLine(withOutcomes("{\"big\": {\"score\": 1, \"output_tokens\": 2.5}, \"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: outcomes.\"big\".output_tokens must be a whole number, found 2.5");
    }

    @Test
    void aResponseIsText() {
        assertThat(secondLine(withOutcomes("{\"big\": {\"score\": 1, \"response\": [\"4\"]}, \"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: outcomes.\"big\".response must be a string, found array");
    }

    @Test
    void everyLineHasOutcomesForTheStrongAndTheWeakModel() {
        assertThat(secondLine(withOutcomes("{\"small\": {\"score\": 1}}")))
                .containsExactly(jsonl() + ":2: no outcome for the strong model \"big\"");
        assertThat(secondLine(withOutcomes("{\"mid\": {\"score\": 1}}"))).containsExactly(
                jsonl() + ":2: no outcome for the strong model \"big\"",
                jsonl() + ":2: no outcome for the weak model \"small\"");
    }

    @Test
    void idsAreUnique() {
        assertThat(problems(MANIFEST, line("q1", 1, 0), line("q2", 1, 0), "", line("q1", 0, 0)))
                .containsExactly(jsonl() + ":4: duplicate id \"q1\" (first on line 1)");
    }

    @Test
    void everyProblemOfALineAndOfEveryLineIsReported() {
        assertThat(problems(MANIFEST, "{\"category\": \"x\"}", GOOD_LINE, "[]")).containsExactly(
                jsonl() + ":1: \"id\" is missing",
                jsonl() + ":1: \"messages\" is missing",
                jsonl() + ":1: \"outcomes\" is missing",
                jsonl() + ":3: expected a JSON object, found array");
    }

    @Test
    void reportingStopsAfterTwentyProblems() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("[]");
        }
        Path file = write(dir, MANIFEST, lines.toArray(String[]::new));
        DatasetException e = catchThrowableOfType(DatasetException.class, () -> DatasetLoader.load(file));
        assertThat(e.problems()).hasSize(20);
        assertThat(e.problems().getLast()).isEqualTo(jsonl() + ":20: expected a JSON object, found array");
        assertThat(e.getMessage()).startsWith(jsonl() + ":1: expected a JSON object, found array\n")
                .endsWith("\n(stopped after 20 problems; there are more)");
    }

    @Test
    void exactlyTwentyProblemsAreNotCalledTruncated() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add("[]");
        }
        Path file = write(dir, MANIFEST, lines.toArray(String[]::new));
        DatasetException e = catchThrowableOfType(DatasetException.class, () -> DatasetLoader.load(file));
        assertThat(e.getMessage()).doesNotContain("stopped");
    }

    @Test
    void aFileWithoutItemsIsRejected() {
        assertThat(problems(MANIFEST, "", "  ")).containsExactly(jsonl() + ": has no items");
    }

    @Test
    void textThatIsNotUtf8IsRejected() throws IOException {
        write(dir, MANIFEST);
        Path file = dir.resolve("tiny.jsonl");
        byte[] good = (GOOD_LINE + "\n").getBytes();
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        byte[] both = new byte[good.length + bad.length];
        System.arraycopy(good, 0, both, 0, good.length);
        System.arraycopy(bad, 0, both, good.length, bad.length);
        Files.write(file, both);
        DatasetException e = catchThrowableOfType(DatasetException.class, () -> DatasetLoader.load(file));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().getFirst()).startsWith(jsonl() + ":2: malformed JSON at column ").contains("UTF-8");
    }

    // --- the file and its manifest ---

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("none.jsonl");
        assertThat(catchThrowableOfType(DatasetException.class, () -> DatasetLoader.load(missing)))
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aDatasetFileEndsInJsonl() {
        Path json = dir.resolve("tiny.json");
        assertThat(catchThrowableOfType(DatasetException.class, () -> DatasetLoader.load(json)))
                .hasMessage(json + ": a dataset file is NAME.jsonl, with its manifest NAME.json beside it");
    }

    @Test
    void aMissingManifestIsNamed() {
        assertThat(problems(null, GOOD_LINE)).containsExactly(jsonl() + ": no manifest: expected " + manifest()
                + " beside it (score scale, strong and weak model, prices)");
    }

    @Test
    void aMalformedManifestNamesItsLine() {
        List<String> p = problems(MANIFEST.replace("\"weak_model\": \"small\"", "\"weak_model\": small"), GOOD_LINE);
        assertThat(p).hasSize(1);
        assertThat(p.getFirst()).startsWith(manifest() + ":9: malformed JSON at column 17: Unrecognized token 'small'");
    }

    @Test
    void theManifestNamesTheStrongAndTheWeakModel() {
        assertThat(DatasetLoader.load(write(dir, MANIFEST.replace("  \"strong_model\": \"big\",\n", ""), GOOD_LINE)).manifest().strongModel())
                .as("the simulator picks a strong model when none is named").isNull();
        assertThat(problems(MANIFEST.replace("\"weak_model\": \"small\"", "\"weak_model\": \"tiny-llm\""), GOOD_LINE))
                .containsExactly(jsonl() + ":1: no outcome for the weak model \"tiny-llm\"");
        assertThat(problems(MANIFEST.replace("\"weak_model\": \"small\"", "\"weak_model\": \"big\""), GOOD_LINE))
                .containsExactly(manifest() + ":9: weak_model is the same model as strong_model (big)");
        assertThat(problems(MANIFEST.replace("\"strong_model\": \"big\"", "\"strong_model\": 4"), GOOD_LINE))
                .containsExactly(manifest() + ":8: strong_model must be a model id, found 4");
    }

    @Test
    void theManifestPricesItsModels() {
        String noModels = MANIFEST.replaceAll("(?s)\"models\": \\{.*?\n  },\n", "");
        assertThat(problems(noModels, GOOD_LINE)).containsExactly(
                jsonl() + ":1: outcomes.\"big\" has no cost_usd, and the manifest gives no price for big (give models.\"big\""
                        + " {input_per_mtok, output_per_mtok}, or a cost_usd on every outcome of it)",
                jsonl() + ":1: outcomes.\"small\" has no cost_usd, and the manifest gives no price for small (give models.\"small\""
                        + " {input_per_mtok, output_per_mtok}, or a cost_usd on every outcome of it)");
    }

    @Test
    void everyPriceIsANumberThatAPriceCanHold() {
        assertThat(problems(MANIFEST.replace(", \"output_per_mtok\": 30.0", ""), GOOD_LINE)).containsExactly(
                manifest() + ":5: models.\"big\".output_per_mtok is missing (USD per 1M tokens)");
        assertThat(problems(MANIFEST.replace("\"output_per_mtok\": 30.0", "\"output_per_mtok\": \"30\""), GOOD_LINE))
                .containsExactly(manifest() + ":5: models.\"big\".output_per_mtok must be a number, found \"30\"");
        assertThat(problems(MANIFEST.replace("\"input_per_mtok\": 0.24", "\"input_per_mtok\": -0.24"), GOOD_LINE))
                .containsExactly(manifest() + ":6: models.\"small\": a price cannot be negative: -0.24");
        assertThat(problems(MANIFEST.replace("\"small\": {\"input_per_mtok\": 0.24, \"output_per_mtok\": 0.24}", "\"small\": 0.24"), GOOD_LINE))
                .containsExactly(manifest() + ":6: models.\"small\" must be an object with input_per_mtok and output_per_mtok");
    }

    @Test
    void theManifestGivesTheScoreScale() {
        assertThat(problems(MANIFEST.replace("\"score\": {\"min\": 0, \"max\": 1, \"kind\": \"correct\"},", ""), GOOD_LINE))
                .containsExactly(
                        manifest() + ":1: score.min is missing: the manifest must give the score scale",
                        manifest() + ":1: score.max is missing: the manifest must give the score scale");
        assertThat(problems(MANIFEST.replace("\"max\": 1", "\"max\": 0"), GOOD_LINE))
                .containsExactly(manifest() + ":3: score.max must be greater than score.min (0)");
        assertThat(problems(MANIFEST.replace("\"min\": 0", "\"min\": \"zero\""), GOOD_LINE))
                .containsExactly(manifest() + ":3: score.min must be a number, found \"zero\"");
    }

    @Test
    void aDeclaredItemCountMustMatchTheFile() {
        String declaresThree = MANIFEST.replace("\"name\": \"tiny\",", "\"name\": \"tiny\", \"items\": 3,");
        assertThat(problems(declaresThree, GOOD_LINE, line("q2", 1, 1))).containsExactly(
                manifest() + ": declares 3 items but " + jsonl() + " has 2 (a truncated or edited file?)");
        assertThat(DatasetLoader.load(write(dir, declaresThree, GOOD_LINE, line("q2", 1, 1), line("q3", 0, 1))).items())
                .hasSize(3);
    }

    @Test
    void manifestProblemsAreReportedBeforeAnyLineIsRead() {
        assertThat(problems(MANIFEST.replace("\"max\": 1", "\"max\": 0"), "not json"))
                .containsExactly(manifest() + ":3: score.max must be greater than score.min (0)");
    }
}
