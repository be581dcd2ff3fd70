package dev.triage.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddersTest {

    @Test
    void withoutAnEmbeddingsModuleThereIsNoEmbedder() {
        assertThat(Embedders.find()).isEmpty();
    }

    @Test
    void theDefaultBatchEmbedsInOrderAndReportsEachText() {
        Embedder lengths = new Embedder() {
            public String id() {
                return "lengths";
            }

            public int dimensions() {
                return 1;
            }

            public float[] embed(String text) {
                return new float[] {text.length()};
            }
        };
        List<String> progress = new ArrayList<>();

        List<float[]> vectors = lengths.embedAll(List.of("a", "bbb", ""), (done, total) -> progress.add(done + "/" + total));

        assertThat(vectors).extracting(v -> v[0]).containsExactly(1f, 3f, 0f);
        assertThat(progress).containsExactly("1/3", "2/3", "3/3");
    }
}
