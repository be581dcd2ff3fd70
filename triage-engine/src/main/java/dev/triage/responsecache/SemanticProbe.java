package dev.triage.responsecache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A question reduced once for semantic matching: its embedding (a unit vector) and its words, lower-cased, in
 * order (the first {@value #MAX_WORDS}), which the lexical guards compare. Probes are values: store them with
 * {@link #encode()} and read them back with {@link #decode(String)}.
 *
 * @param vector the text's embedding, L2-normalised; not copied, so do not change it
 * @param words  the text's words as {@link #of} splits them
 */
public record SemanticProbe(float[] vector, List<String> words) {

    /** Words kept per text: enough for any question; the guards only look at short differences. */
    public static final int MAX_WORDS = 256;

    private static final String VERSION = "s1";

    public SemanticProbe {
        if (vector == null || vector.length == 0) {
            throw new IllegalArgumentException("a probe needs a non-empty vector");
        }
        words = List.copyOf(words);
    }

    /** The probe of {@code text} whose embedding is {@code vector}. */
    public static SemanticProbe of(String text, float[] vector) {
        return new SemanticProbe(vector, LexicalGuards.words(text, MAX_WORDS));
    }

    /**
     * A compact text form: {@code s1:} + base64 of the vector's little-endian floats + {@code :} + the words
     * joined by spaces (words never contain spaces). 384 dimensions take 2,048 characters plus the words.
     */
    public String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return VERSION + ":" + Base64.getEncoder().withoutPadding().encodeToString(bytes.array()) + ":" + String.join(" ", words);
    }

    /**
     * The probe {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException when {@code encoded} is not such a text
     */
    public static SemanticProbe decode(String encoded) {
        String[] parts = encoded.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("not an encoded semantic probe (expected " + VERSION + ":VECTOR:WORDS)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoded semantic probe: the vector is not base64", e);
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("encoded semantic probe: the vector has " + bytes.length + " bytes, not a whole number of floats");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return new SemanticProbe(vector, parts[2].isEmpty() ? List.of() : List.of(parts[2].split(" ")));
    }

    /** The cosine of two probes' vectors (their dot product: both are unit vectors). */
    double cosine(SemanticProbe other) {
        float[] a = vector;
        float[] b = other.vector;
        if (a.length != b.length) {
            throw new IllegalArgumentException("probes of different dimensions: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemanticProbe p && Arrays.equals(vector, p.vector) && words.equals(p.words);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vector) + words.hashCode();
    }

    @Override
    public String toString() {
        return "SemanticProbe[" + vector.length + " dimensions, words=" + words + "]";
    }
}
