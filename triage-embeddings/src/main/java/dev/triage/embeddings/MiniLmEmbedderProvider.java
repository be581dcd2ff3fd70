package dev.triage.embeddings;

import dev.triage.embed.Embedder;
import dev.triage.embed.EmbedderProvider;

/**
 * Registers {@link MiniLmEmbedder} with the engine's {@link dev.triage.embed.Embedders#find()}; settings
 * come from {@code -Dtriage.embeddings.*} (see {@link EmbeddingConfig#fromSystemProperties}).
 */
public final class MiniLmEmbedderProvider implements EmbedderProvider {

    @Override
    public Embedder create() {
        return MiniLmEmbedder.open(EmbeddingConfig.fromSystemProperties(System.getProperties()));
    }
}
