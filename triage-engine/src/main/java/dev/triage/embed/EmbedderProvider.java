package dev.triage.embed;

/**
 * Service interface an embeddings module registers in
 * {@code META-INF/services/dev.triage.embed.EmbedderProvider}.
 */
public interface EmbedderProvider {

    /** Loads the model and returns a ready embedder (this may take a second or two). */
    Embedder create();
}
