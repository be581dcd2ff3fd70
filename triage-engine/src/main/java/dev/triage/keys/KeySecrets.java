package dev.triage.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of a virtual key's secret and how it is stored. A secret is {@code tk_} + an 8-character id +
 * {@code _} + 32 random characters (base 62: about 190 bits), e.g. {@code tk_AbCd1234_…}. The id finds the
 * stored row; the row holds a random 16-byte salt and SHA-256(salt ‖ secret), compared in constant time.
 * A fast hash is enough for secrets this random (nobody can guess one to test offline); the salt keeps
 * equal hashes from showing equal keys.
 */
public final class KeySecrets {

    public static final String PREFIX = "tk_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern SHAPE = Pattern.compile("tk_([0-9A-Za-z]{8})_[0-9A-Za-z]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecrets() {
    }

    /** A new secret: {@code tk_ID_RANDOM}. */
    public static String newSecret() {
        return PREFIX + random(8) + "_" + random(32);
    }

    /** The id part of a well-formed secret, which finds its row; empty for anything else. */
    public static Optional<String> idOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        var m = SHAPE.matcher(presented);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** What a list shows of a secret: {@code tk_} and its id. */
    public static String visiblePrefix(String secret) {
        return secret.substring(0, PREFIX.length() + 8);
    }

    /** A new random salt, hex. */
    public static String newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }

    /** SHA-256(salt ‖ secret), hex. */
    public static String hash(String saltHex, String secret) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(HexFormat.of().parseHex(saltHex));
            return HexFormat.of().formatHex(d.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code presented} hashes to {@code storedHash} under {@code saltHex}, in constant time. */
    public static boolean matches(String presented, String saltHex, String storedHash) {
        return MessageDigest.isEqual(hash(saltHex, presented).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
