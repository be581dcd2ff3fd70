package dev.triage.embed;

/**
 * An {@link Embedder} refused a text because its queue is full: more requests want embeddings than
 * its threads can keep up with. The message names the settings to raise.
 */
public final class EmbedderOverloadedException extends RuntimeException {

    public EmbedderOverloadedException(String message) {
        super(message);
    }
}
