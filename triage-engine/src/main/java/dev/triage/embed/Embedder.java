package dev.triage.embed;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * A stable id of the model and its settings (e.g. {@code all-minilm-l6-v2-q/96-tail23}: the model
     * variant and how long texts are cut); a trained router records it and refuses another.
     */
    String id();

    /** The length of every vector {@link #embed} returns. */
    int dimensions();

    /**
     * The embedding of {@code text}, L2-normalised (length 1). Never null; "" has an embedding too.
     * The caller owns the returned array.
     *
     * @throws EmbedderOverloadedException when more texts are waiting than the implementation queues;
     *                                     a gateway should then route without embeddings
     */
    float[] embed(String text);

    /**
     * The embeddings of {@code texts}, in the same order: the batch path for offline work (training,
     * {@code triage simulate}). Implementations may use every thread they have and keep the vectors
     * on disk so that a second run over the same texts is fast. {@code progress} is told how many
     * texts are done, from the calling thread.
     */
    default List<float[]> embedAll(List<String> texts, Progress progress) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(embed(text));
            progress.update(vectors.size(), texts.size());
        }
        return vectors;
    }

    /** Releases native resources; the default does nothing. */
    @Override
    default void close() {
    }

    /** Told how far {@link #embedAll} has got. */
    @FunctionalInterface
    interface Progress {

        /** A listener that ignores progress. */
        Progress NONE = (done, total) -> { };

        /** {@code done} of {@code total} texts have their embedding (never decreasing). */
        void update(int done, int total);
    }
}
