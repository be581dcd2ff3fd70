package dev.triage.testing;

import dev.triage.embed.Embedder;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic {@link Embedder} for tests: the words and character trigrams of a text, hashed into
 * {@link #DIMENSIONS} signed buckets and scaled to unit length. Texts that share words land near each
 * other, which is all learned routing needs to be exercised; it knows nothing of meaning. Thread-safe,
 * no native code, the same vector on every run and machine.
 */
public final class HashingEmbedder implements Embedder {

    public static final int DIMENSIONS = 256;
    public static final String ID = "test-hashing-256";

    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /** How many texts it has embedded. */
    public int calls() {
        return calls.get();
    }

    @Override
    public float[] embed(String text) {
        calls.incrementAndGet();
        float[] v = new float[DIMENSIONS];
        String lower = text.toLowerCase(Locale.ROOT);
        for (String word : lower.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                add(v, "w:" + word, 2);
            }
        }
        String padded = " " + lower + " ";
        for (int i = 0; i + 3 <= padded.length(); i++) {
            add(v, padded.substring(i, i + 3), 1);
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1; // "" has an embedding too
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private static void add(float[] v, String feature, float weight) {
        long h = fnv1a(feature);
        v[(int) Long.remainderUnsigned(h, DIMENSIONS)] += (h >>> 63) == 0 ? weight : -weight;
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }
}
