package dev.triage.embeddings;

/** The model call behind {@link MiniLmEmbedder}: blocking, thread-safe, no caching. A seam for tests. */
interface TextEncoder extends AutoCloseable {

    /** The L2-normalised embedding of {@code text}. */
    float[] encode(String text);

    int dimensions();

    @Override
    void close();
}
