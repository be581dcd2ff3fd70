package dev.triage.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.testing.SharedDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurements behind the defaults (README, Embeddings), on the shipped datasets. Slow (a minute or
 * more on two cores), so only on request:
 * {@code ./mvnw -pl triage-embeddings -am test -Dtest=ModelChoiceTest -Dsurefire.failIfNoSpecifiedTests=false -Dtriage.measure=true}.
 */
@EnabledIfSystemProperty(named = "triage.measure", matches = "true")
class ModelChoiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> items(String dataset) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        for (String line : Files.readAllLines(SharedDatasets.file(dataset))) {
            items.add(JSON.readTree(line));
        }
        return items;
    }

    private static String prompt(JsonNode item) {
        return item.path("messages").get(0).path("content").asText();
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    private static List<Integer> nearest(float[][] vectors, int of, int k) {
        List<Integer> others = new ArrayList<>();
        for (int j = 0; j < vectors.length; j++) {
            if (j != of) {
                others.add(j);
            }
        }
        others.sort((x, y) -> Double.compare(dot(vectors[of], vectors[y]), dot(vectors[of], vectors[x])));
        return others.subList(0, k);
    }

    @Test
    void theQuantisedModelAgreesWithTheFullOne() throws IOException {
        List<String> prompts = items("gsm8k.jsonl").subList(0, 300).stream().map(ModelChoiceTest::prompt).toList();
        Truncation cut = EmbeddingConfig.defaults().truncation();
        float[][] quantised = new float[prompts.size()][];
        float[][] full = new float[prompts.size()][];
        try (MiniLmEncoder q = MiniLmEncoder.load(MiniLmVariant.QUANTISED, cut);
             MiniLmEncoder f = MiniLmEncoder.load(MiniLmVariant.FULL, cut)) {
            for (int i = 0; i < prompts.size(); i++) {
                quantised[i] = q.encode(prompts.get(i));
                full[i] = f.encode(prompts.get(i));
            }
        }
        List<Double> cosines = new ArrayList<>();
        double overlap = 0;
        for (int i = 0; i < prompts.size(); i++) {
            cosines.add(dot(quantised[i], full[i]));
            Set<Integer> a = new HashSet<>(nearest(quantised, i, 10));
            a.retainAll(nearest(full, i, 10));
            overlap += a.size() / 10.0;
        }
        double mean = cosines.stream().mapToDouble(d -> d).average().orElseThrow();
        double min = Collections.min(cosines);
        overlap /= prompts.size();
        System.out.printf("gsm8k[0,300) quantised vs full: cosine mean %.4f, min %.4f; top-10 neighbours shared %.3f%n",
                mean, min, overlap);

        assertThat(mean).isGreaterThan(0.99);
        assertThat(min).isGreaterThan(0.98);
        assertThat(overlap).isGreaterThan(0.85);
    }

    @Test
    void keepingTheTailRecoversWhatCuttingLongPromptsLoses() throws IOException {
        // Long MMLU prompts (over 700 characters, ~285 word pieces on average): does the vector still
        // know the subject? Leave-one-out 5-nearest-neighbour vote among 1,000 of them.
        List<JsonNode> long_ = new ArrayList<>(items("mmlu.jsonl").stream().filter(i -> prompt(i).length() > 700).toList());
        Collections.shuffle(long_, new Random(7));
        List<JsonNode> sample = long_.subList(0, 1_000);
        Map<String, Double> accuracy = new HashMap<>();
        for (Truncation cut : List.of(Truncation.of(96, true), Truncation.of(128, false), Truncation.of(128, true), Truncation.of(256, true),
                Truncation.of(512, false))) {
            float[][] vectors = new float[sample.size()][];
            try (MiniLmEncoder q = MiniLmEncoder.load(MiniLmVariant.QUANTISED, cut)) {
                for (int i = 0; i < sample.size(); i++) {
                    vectors[i] = q.encode(prompt(sample.get(i)));
                }
            }
            int right = 0;
            for (int i = 0; i < vectors.length; i++) {
                Map<String, Integer> votes = new HashMap<>();
                for (int j : nearest(vectors, i, 5)) {
                    votes.merge(sample.get(j).path("category").asText(), 1, Integer::sum);
                }
                String vote = Collections.max(votes.entrySet(), Map.Entry.comparingByValue()).getKey();
                right += vote.equals(sample.get(i).path("category").asText()) ? 1 : 0;
            }
            accuracy.put(cut.id(), right / (double) vectors.length);
            System.out.printf("MMLU long prompts, cut %s: 5-NN subject accuracy %.3f%n", cut.id(), accuracy.get(cut.id()));
        }

        assertThat(accuracy.get("128-tail31")).isGreaterThan(accuracy.get("128") + 0.02);
        // the default window: a quarter cheaper than 128 tokens and as good here
        assertThat(accuracy.get("96-tail23")).isGreaterThan(accuracy.get("128") + 0.02)
                .isGreaterThan(accuracy.get("128-tail31") - 0.01).isGreaterThan(accuracy.get("512") - 0.03);
    }

    @Test
    void howManyShippedPromptsTheWindowCutsAndHowFarTheyMove() throws IOException {
        Truncation whole = new Truncation(510, 0);
        try (MiniLmEncoder q = MiniLmEncoder.load(MiniLmVariant.QUANTISED, whole)) {
            for (String dataset : List.of("gsm8k.jsonl", "mmlu.jsonl")) {
                List<JsonNode> items = items(dataset);
                List<String> prompts = new ArrayList<>();
                for (int i = 0; i < items.size(); i += dataset.startsWith("mmlu") ? 5 : 1) {
                    prompts.add(prompt(items.get(i)));
                }
                for (Truncation cut : List.of(Truncation.of(96, true), Truncation.of(128, true))) {
                    int over = 0;
                    List<Double> cosines = new ArrayList<>();
                    for (String p : prompts) {
                        if (q.tokenIds(p, whole).length > cut.maxTokens()) {
                            over++;
                            cosines.add(dot(q.encode(p), q.encode(p, cut)));
                        }
                    }
                    System.out.printf("%s (%d prompts), cut %s: %.1f%% longer than the window; their cut vs whole"
                            + " cosine mean %.3f, min %.3f%n", dataset, prompts.size(), cut.id(), 100.0 * over / prompts.size(),
                            cosines.stream().mapToDouble(d -> d).average().orElse(1), cosines.isEmpty() ? 1 : Collections.min(cosines));
                }
            }
        }
    }
}
