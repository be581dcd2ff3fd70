package dev.triage.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbeddingConfigTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreTheQuantisedModelCutTo96TokensKeepingTheTail() {
        EmbeddingConfig c = EmbeddingConfig.fromSystemProperties(new Properties());

        assertThat(c).isEqualTo(EmbeddingConfig.defaults());
        assertThat(c.variant()).isEqualTo(MiniLmVariant.QUANTISED);
        assertThat(c.truncation()).isEqualTo(new Truncation(71, 23));
        assertThat(c.threads()).isBetween(1, 2);
        assertThat(c.cacheEntries()).isEqualTo(10_000);
        assertThat(c.storeDirectory()).contains(Path.of(System.getProperty("user.home"), ".cache", "triage", "embeddings"));
        assertThat(c.embedderId()).isEqualTo("all-minilm-l6-v2-q/96-tail23");
    }

    @Test
    void everySettingCanBeOverridden() {
        EmbeddingConfig c = EmbeddingConfig.fromSystemProperties(props(
                "triage.embeddings.model", "all-minilm-l6-v2", "triage.embeddings.max-tokens", "256",
                "triage.embeddings.keep-tail", "false", "triage.embeddings.threads", "3", "triage.embeddings.queue", "7",
                "triage.embeddings.cache-entries", "0", "triage.embeddings.store", "/tmp/vectors"));

        assertThat(c).isEqualTo(new EmbeddingConfig(MiniLmVariant.FULL, new Truncation(254, 0), 3, 7, 0,
                Optional.of(Path.of("/tmp/vectors"))));
        assertThat(c.embedderId()).isEqualTo("all-minilm-l6-v2/256");
        assertThat(EmbeddingConfig.fromSystemProperties(props("triage.embeddings.store", "off")).storeDirectory()).isEmpty();
    }

    @Test
    void badValuesNameThePropertyAndWhatItTakes() {
        assertThatThrownBy(() -> EmbeddingConfig.fromSystemProperties(props("triage.embeddings.threads", "two")))
                .hasMessage("system property triage.embeddings.threads: expected a whole number from 1 to 256, got 'two'");
        assertThatThrownBy(() -> EmbeddingConfig.fromSystemProperties(props("triage.embeddings.max-tokens", "1024")))
                .hasMessage("system property triage.embeddings.max-tokens: expected a whole number from 3 to 512, got '1024'");
        assertThatThrownBy(() -> EmbeddingConfig.fromSystemProperties(props("triage.embeddings.model", "bert")))
                .hasMessage("system property triage.embeddings.model: unknown embedding model 'bert'; expected"
                        + " all-minilm-l6-v2-q or all-minilm-l6-v2");
        assertThatThrownBy(() -> EmbeddingConfig.fromSystemProperties(props("triage.embeddings.keep-tail", "yes")))
                .hasMessage("system property triage.embeddings.keep-tail: expected true or false, got 'yes'");
    }

    @Test
    void truncationSplitsTheWindowIntoHeadAndAQuarterTail() {
        assertThat(Truncation.of(128, true)).isEqualTo(new Truncation(95, 31));
        assertThat(Truncation.of(128, false)).isEqualTo(new Truncation(126, 0));
        assertThat(Truncation.of(512, true).maxTokens()).isEqualTo(512);
        assertThatThrownBy(() -> new Truncation(400, 200)).hasMessageContaining("head + tail <= 510");
    }
}
