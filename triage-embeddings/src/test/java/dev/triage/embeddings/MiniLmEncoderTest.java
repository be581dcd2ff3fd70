package dev.triage.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.triage.embed.EmbedderProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real quantised model, loaded once for the class. */
class MiniLmEncoderTest {

    private static MiniLmEncoder model;

    @BeforeAll
    static void load() {
        model = MiniLmEncoder.load(MiniLmVariant.QUANTISED, Truncation.of(128, true));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void everyTextGetsA384DimensionalUnitVectorTheEmptyOneToo() {
        for (String text : List.of("", " ", "What is 2 + 2?", "Grüße aus Köln — 東京 🎉", "word ".repeat(2_000))) {
            float[] v = model.encode(text);
            assertThat(v).hasSize(384);
            assertThat(dot(v, v)).as(text.length() > 40 ? text.substring(0, 40) : text).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void shortTextsEmbedAsLangChain4jsOwnWrapperEmbedsThem() {
        AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        for (String text : List.of("What is the capital of France?",
                "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.")) {
            float[] theirs = reference.embed(text).content().vector();
            assertThat(dot(model.encode(text), theirs)).isGreaterThan(0.9999);
        }
    }

    @Test
    void similarTextsAreCloserThanUnrelatedOnes() {
        float[] reverse = model.encode("How do I reverse a linked list in Java?");
        float[] reverse2 = model.encode("Write a Java method that reverses a singly linked list.");
        float[] sprints = model.encode("James runs 3 sprints 3 times a week, 60 meters each. How many meters a week?");
        float[] capital = model.encode("What is the capital city of France?");

        assertThat(dot(reverse, reverse2)).isGreaterThan(0.6)
                .isGreaterThan(dot(reverse, sprints) + 0.3)
                .isGreaterThan(dot(reverse, capital) + 0.3);
    }

    @Test
    void aLongTextKeepsExactlyItsFirstAndLastWordPieces() {
        // Windows at each end are tokenized instead of the whole text: they must give the same pieces,
        // whatever sits at the cut (accents, CJK, emoji, 150-letter words, punctuation runs, control characters).
        String[] fragments = {"The train leaves at 9:45 and arrives at noon. ", "naïve café résumé ", "nai\u0308ve cafe\u0301 ",
            "東京都の人口は多い。", "🎉🚀 ", "x".repeat(150) + " ", "https://example.com/a/b?c=d&e=f ", "!!!??? ... ",
            "for (int i = 0; i < n; i++) { sum += a[i]; }\n", "\t\t  \n\n", "tab\u0007bell ", "don't won't can't ",
            "supercalifragilisticexpialidocious ", "3.14159 2,718 1e-9 ", "ΑΒΓ αβγ Привет мир "};
        Random random = new Random(11);
        List<Truncation> rules = List.of(new Truncation(95, 31), new Truncation(126, 0), new Truncation(10, 5),
                new Truncation(1, 1));
        Truncation whole = new Truncation(510, 0);
        int checked = 0;
        for (int n = 0; n < 300; n++) {
            StringBuilder text = new StringBuilder();
            int length = 200 + random.nextInt(1_600);
            while (text.length() < length) {
                text.append(fragments[random.nextInt(fragments.length)]);
            }
            long[] all = model.tokenIds(text.toString(), whole);
            if (all.length >= 512) {
                continue;
            }
            checked++;
            long[] pieces = Arrays.copyOfRange(all, 1, all.length - 1);
            for (Truncation rule : rules) {
                long[] expected = new long[Math.min(pieces.length, rule.headTokens() + rule.tailTokens()) + 2];
                expected[0] = all[0];
                expected[expected.length - 1] = all[all.length - 1];
                if (pieces.length <= rule.headTokens() + rule.tailTokens()) {
                    System.arraycopy(pieces, 0, expected, 1, pieces.length);
                } else {
                    System.arraycopy(pieces, 0, expected, 1, rule.headTokens());
                    System.arraycopy(pieces, pieces.length - rule.tailTokens(), expected, 1 + rule.headTokens(),
                            rule.tailTokens());
                }
                assertThat(model.tokenIds(text.toString(), rule)).as("text %d, %s", n, rule).containsExactly(expected);
            }
        }
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void aPromptOfAnyLengthIsCutToTheWindow() {
        String huge = "Summarise the following report. " + "The quarterly numbers rose again. ".repeat(20_000)
                + "Which quarter was best?";
        assertThat(model.tokenIds(huge)).hasSize(128);
        assertThat(model.tokenIds(huge, new Truncation(510, 0))).hasSize(512);
        assertThat(model.encode(huge)).hasSize(384);
    }

    @Test
    void theModelServesManyVirtualThreadsAtOnceAndGivesEachTheSameVectorAsAlone() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            texts.add("Question " + i + ": how many apples are left if " + i + " of 20 are eaten?");
        }
        List<float[]> alone = texts.stream().map(model::encode).toList();
        TextEncoder shared = new TextEncoder() { // the embedder closes its encoder; this one is the class's
            public float[] encode(String text) {
                return model.encode(text);
            }

            public int dimensions() {
                return model.dimensions();
            }

            public void close() {
            }
        };
        EmbeddingConfig config = EmbeddingConfig.defaults().withThreads(2, 256).withCacheEntries(0)
                .withStoreDirectory(Optional.empty());
        try (MiniLmEmbedder embedder = new MiniLmEmbedder(config, shared);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String text = texts.get(i % texts.size());
                results.add(callers.submit(() -> embedder.embed(text)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(dot(results.get(i).get(), alone.get(i % texts.size()))).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void theEngineFindsTheProviderThroughServiceLoader() {
        assertThat(ServiceLoader.load(EmbedderProvider.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(MiniLmEmbedderProvider.class);
    }
}
