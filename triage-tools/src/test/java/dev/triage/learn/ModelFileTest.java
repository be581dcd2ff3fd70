package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.embed.Embedder;
import dev.triage.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path dir;

    private final LearnedModel model = TrainerTest.train(Synthetic.examples(60, 11));

    @Test
    void aWrittenModelReadsBackWithTheSamePredictions() throws IOException {
        Path file = dir.resolve("router.bin");
        ModelFile.write(model, file);
        LearnedModel back = ModelFile.read(file, new HashingEmbedder());
        String prompt = "Prove that the integral of x^3 converges, theorem 77";
        assertThat(back.predictQuality(prompt)).isEqualTo(model.predictQuality(prompt));
        assertThat(back.acceptProbability(Synthetic.WEAK, prompt, "3 * 3 = 10", "stop"))
                .isEqualTo(model.acceptProbability(Synthetic.WEAK, prompt, "3 * 3 = 10", "stop"));
        assertThat(back.provenance()).isEqualTo(model.provenance());
        assertThat(ModelFile.header(file).path("format_version").asInt()).isEqualTo(ModelFile.FORMAT_VERSION);
        assertThat(ModelFile.header(file).path("source").asText()).isEqualTo("synthetic");
    }

    @Test
    void aFileOfAnotherFormatVersionIsRefusedByName() throws IOException {
        Path file = dir.resolve("router.bin");
        ModelFile.write(model, file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes, 8, 4).putInt(ModelFile.FORMAT_VERSION + 1);
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelFile.read(file, new HashingEmbedder()))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("format version " + (ModelFile.FORMAT_VERSION + 1))
                .hasMessageContaining("retrain");
    }

    @Test
    void notAModelFileMissingOrTruncatedIsExplained() throws IOException {
        Path other = Files.writeString(dir.resolve("notes.txt"), "hello there, not a model");
        assertThatThrownBy(() -> ModelFile.read(other, new HashingEmbedder())).hasMessageContaining("not a Triage model file");
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("absent.bin"), new HashingEmbedder())).hasMessageContaining("no such file");
        Path file = dir.resolve("router.bin");
        ModelFile.write(model, file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelFile.read(file, new HashingEmbedder())).hasMessageContaining("damaged");
    }

    @Test
    void aModelTrainedWithOtherEmbeddingsIsRefused() throws IOException {
        Path file = dir.resolve("router.bin");
        ModelFile.write(model, file);
        Embedder other = new Embedder() {
            @Override
            public String id() {
                return "all-minilm-l6-v2/256";
            }

            @Override
            public int dimensions() {
                return 384;
            }

            @Override
            public float[] embed(String text) {
                return new float[384];
            }
        };
        assertThatThrownBy(() -> ModelFile.read(file, other))
                .hasMessageContaining("trained with embeddings '" + HashingEmbedder.ID + "'")
                .hasMessageContaining("all-minilm-l6-v2/256");
    }
}
