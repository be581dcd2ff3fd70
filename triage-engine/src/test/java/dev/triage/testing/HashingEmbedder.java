package dev.triage.testing;

import dev.triage.embed.Embedder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for the ONNX embedder in tests: lower-cased character trigrams and words
 * hashed into 384 dimensions, L2-normalised. Texts sharing words and spelling land close together,
 * which is all the learned router needs from an embedding to be testable; it counts its calls.
 */
public final class HashingEmbedder implements Embedder {

    public static final String ID = "test-hashing-384";
    private static final int DIMENSIONS = 384;
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /** How many times {@link #embed} has been called. */
    public int calls() {
        return calls.get();
    }

    @Override
    public float[] embed(String text) {
        calls.incrementAndGet();
        float[] v = new float[DIMENSIONS];
        String t = " " + text.toLowerCase(Locale.ROOT) + " ";
        for (int i = 0; i + 3 <= t.length(); i++) {
            add(v, t.substring(i, i + 3), 1f);
        }
        for (String word : t.trim().split("\\W+")) {
            if (!word.isEmpty()) {
                add(v, "w:" + word, 2f);
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] *= inv;
        }
        return v;
    }

    private static void add(float[] v, String feature, float weight) {
        int h = 0x811c9dc5;
        for (byte b : feature.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x01000193;
        }
        int slot = Math.floorMod(h, DIMENSIONS);
        v[slot] += ((h >>> 16) & 1) == 0 ? weight : -weight;
    }
}
