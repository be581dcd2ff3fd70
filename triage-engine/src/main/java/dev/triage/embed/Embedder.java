package dev.triage.embed;

/**
 * Turns text into a unit-length vector whose dot product with another measures how alike the two
 * texts are. Learned routing uses it to find the recorded prompts nearest to a new one.
 *
 * <p>The engine ships no implementation: the {@code triage-embeddings} module provides one (an
 * in-process ONNX model) through {@link java.util.ServiceLoader}. Without it the gateway routes by
 * rules only, and {@link Embedders#find()} is empty.
 *
 * <p>Implementations are thread-safe and may block (they run native inference); callers on virtual
 * threads are fine, since implementations hand the work to their own bounded platform-thread pool.
 */
public interface Embedder extends AutoCloseable {

    /** A stable id of the model and its settings; a trained router records it and refuses another. */
    String id();

    /** The length of every vector {@link #embed} returns. */
    int dimensions();

    /** The embedding of {@code text}, L2-normalised (length 1). Never null; "" has an embedding too. */
    float[] embed(String text);

    /** Releases native resources; the default does nothing. */
    @Override
    default void close() {
    }
}
