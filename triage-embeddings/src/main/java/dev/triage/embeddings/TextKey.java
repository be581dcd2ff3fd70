package dev.triage.embeddings;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of an embedder id and a text: the key of both caches. Two texts share a key only if they
 * are equal (a collision is not a practical concern), and 32 bytes replace a prompt of kilobytes.
 */
record TextKey(long a, long b, long c, long d) {

    static final int BYTES = 32;

    /** A digest already fed with {@code embedderId}, to be cloned per text. */
    static MessageDigest seeded(String embedderId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(embedderId.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static TextKey of(MessageDigest seeded, String text) {
        try {
            MessageDigest digest = (MessageDigest) seeded.clone();
            return fromBytes(ByteBuffer.wrap(digest.digest(text.getBytes(StandardCharsets.UTF_8))));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    /** Reads 32 bytes at the buffer's position. */
    static TextKey fromBytes(ByteBuffer bytes) {
        return new TextKey(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
    }

    void writeTo(ByteBuffer bytes) {
        bytes.putLong(a).putLong(b).putLong(c).putLong(d);
    }
}
