package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage cache eval} over small pairs files, with the real embeddings. */
class CacheCommandTest {

    @TempDir
    Path dir;

    private Path pairs(String json) throws Exception {
        Path file = dir.resolve("pairs.json");
        Files.writeString(file, json);
        return file;
    }

    private static String pair(String origin, String similar) {
        return "{\"origin\": \"" + origin + "\", \"similar\": \"" + similar + "\"}";
    }

    /** Two cached questions, their paraphrases, and two unrelated questions in similar words. */
    private Path fourPairs() throws Exception {
        List<String> items = new ArrayList<>();
        items.add(pair("What is the capital of France?", "Which city is the capital of France?"));
        items.add(pair("How do I reverse a list in Python?", "How can I reverse a Python list?"));
        items.add(pair("Convert 5 km to miles", "Convert 8 km to miles"));
        items.add(pair("What is the capital of Spain?", "What is the capital of Spain?"));
        return pairs("[" + String.join(",", items) + "]");
    }

    @Test
    void jsonCountsHitsOnTheRightOriginAndNoneOnUnrelatedQuestions() throws Exception {
        CliRun run = CliRun.of("cache", "eval", "--pairs", fourPairs().toString(), "--format", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields.subList(0, 8)).containsExactly("pairs", "threshold", "correct_hits", "wrong_hits", "false_hits", "misses",
                "precision", "recall");
        assertThat(json.get("pairs").asInt()).isEqualTo(2);
        assertThat(json.get("threshold").asDouble()).isEqualTo(0.905);
        assertThat(json.get("correct_hits").asInt()).isEqualTo(2);
        assertThat(json.get("wrong_hits").asInt()).isZero();
        assertThat(json.get("false_hits").asInt()).isZero();
        assertThat(json.get("misses").asInt()).isZero();
        assertThat(json.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(json.get("recall").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aLowStaticThresholdLetsUnrelatedQuestionsHit() throws Exception {
        CliRun run = CliRun.of("cache", "eval", "--pairs", fourPairs().toString(), "--rule", "static", "--threshold", "0.6",
                "--format", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        // "capital of Spain" hits "capital of France" (cosine 0.68); "Convert 8 km" is nearer neither than 0.6
        assertThat(json.get("false_hits").asInt()).isEqualTo(1);
        assertThat(json.get("precision").asDouble()).isEqualTo(0.6667);
        assertThat(json.get("lead").asDouble()).isZero();
    }

    @Test
    void offsetAndCacheSizeChooseThePairs() throws Exception {
        CliRun run = CliRun.of("cache", "eval", "--pairs", fourPairs().toString(), "--offset", "1", "--cache-size", "1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("pairs 1-2 of 4").contains("correct hits        1").contains("false hits          0")
                .contains("recall          1.000");
    }

    @Test
    void badInputNamesTheFileAndTheProblem() throws Exception {
        Path missing = dir.resolve("nope.json");
        assertThat(CliRun.of("cache", "eval", "--pairs", missing.toString())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(missing.toString()).contains("no such file");
        });
        Path object = pairs("{\"origin\": \"a\"}");
        assertThat(CliRun.of("cache", "eval", "--pairs", object.toString())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(object.toString()).contains("expected a JSON array").contains("found object");
        });
        Path noSimilar = pairs("[" + pair("a", "b") + ", {\"origin\": \"c\"}]");
        assertThat(CliRun.of("cache", "eval", "--pairs", noSimilar.toString()).err()).contains("item 1").contains("\"similar\"");
        assertThat(CliRun.of("cache", "eval", "--pairs", pairs("[oops").toString()).err()).contains("not JSON");
        CliRun tooMany = CliRun.of("cache", "eval", "--pairs", fourPairs().toString(), "--cache-size", "3");
        assertThat(tooMany.exit()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--cache-size 3 needs 6 pairs").contains("at most --cache-size 2");
        assertThat(CliRun.of("cache", "eval", "--pairs", fourPairs().toString(), "--rule", "fuzzy").err())
                .contains("--rule must be default or static");
        assertThat(CliRun.of("cache", "eval", "--pairs", fourPairs().toString(), "--threshold", "1.5").err())
                .contains("threshold must be in (0, 1]");
    }
}
