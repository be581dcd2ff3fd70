package dev.triage.testing;

import dev.triage.embed.Embedder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic {@link Embedder} for tests: each character trigram of the lower-cased text is hashed
 * into one of 384 dimensions with a sign, and the sum is L2-normalised. Texts that share words come
 * out close, which is all learned routing's nearest-neighbour search needs; no model, no native code.
 */
public final class HashingEmbedder implements Embedder {

    public static final String ID = "test-hashing-384";
    public static final int DIMENSIONS = 384;

    private final String id;
    private final AtomicInteger embedded = new AtomicInteger();
    private volatile boolean closed;

    public HashingEmbedder() {
        this(ID);
    }

    /** An embedder that calls itself {@code id}: a model trained with another id refuses it. */
    public HashingEmbedder(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public float[] embed(String text) {
        if (closed) {
            throw new IllegalStateException("embedder closed");
        }
        embedded.incrementAndGet();
        // padded so that "" and one-letter texts have trigrams too
        String s = "  " + text.toLowerCase(Locale.ROOT) + " ";
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i + 3 <= s.length(); i++) {
            int h = fnv1a(s.substring(i, i + 3));
            v[Math.floorMod(h, DIMENSIONS)] += (h & 0x4000_0000) == 0 ? 1 : -1;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** How many texts it has embedded (a cache in front of it shows as a count that does not grow). */
    public int embedded() {
        return embedded.get();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
