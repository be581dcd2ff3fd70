package dev.triage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class HashingEmbedderTest {

    private final HashingEmbedder embedder = new HashingEmbedder();

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void vectorsHaveUnitLengthAndTheSameTextGivesTheSameVector() {
        for (String text : new String[] {"", "x", "What is 17 * 23?", "Résumé: naïve café ✓".repeat(50)}) {
            float[] v = embedder.embed(text);
            assertThat(v).hasSize(embedder.dimensions());
            assertThat(dot(v, v)).as(text).isCloseTo(1.0, offset(1e-5));
            assertThat(embedder.embed(text)).containsExactly(v);
        }
    }

    @Test
    void textsSharingWordsAreNearerThanUnrelatedOnes() {
        float[] math = embedder.embed("Natalia sold clips to 48 of her friends in April");
        float[] alsoMath = embedder.embed("Natalia sold 48 clips to her friends in May");
        float[] poem = embedder.embed("Write a sonnet about the autumn sea");

        assertThat(dot(math, alsoMath)).isGreaterThan(0.6).isGreaterThan(dot(math, poem) + 0.4);
        assertThat(embedder.embedded()).isEqualTo(3);
    }
}
