package dev.triage.embed;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the {@link Embedder} on the class path, if a module provides one. */
public final class Embedders {

    private Embedders() {
    }

    /**
     * A new instance of the first {@link EmbedderProvider} found by {@link ServiceLoader}, or empty
     * when no embeddings module is on the class path.
     */
    public static Optional<Embedder> find() {
        return ServiceLoader.load(EmbedderProvider.class).findFirst().map(EmbedderProvider::create);
    }
}
