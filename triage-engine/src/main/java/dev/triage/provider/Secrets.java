package dev.triage.provider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of messages. Every configured API key is registered at start-up; any text
 * that leaves Triage through an error, a log line or the ledger passes through {@link #redact}.
 *
 * <p>An upstream may echo a key whole, in part ({@code sk-ant-api03-AbCd...4e6f}) or base64-encoded (a
 * Basic credential, a JWT-like token in an error body), so redaction works on pieces: every run of
 * {@value #PIECE} characters of a registered secret, and of its base64 forms (standard and URL-safe, at each of
 * the three byte alignments it can have inside a longer encoded string), is replaced wherever it appears.
 * The scan for pieces is one pass over the text with a rolling hash, so its cost does not grow with the number of
 * secrets; the whole-secret check below is one {@code contains} per secret (a configuration has a handful).
 *
 * <p>A run of a single kind of character (only lower-case letters, only capitals or only digits, with or without
 * punctuation) is not redacted on its own: {@code provider} or {@code 12345678} inside a human-chosen password
 * would otherwise mask those words in every message. The secret itself is always masked whole, and the runs of a
 * random key mix kinds (a 62-letter alphabet gives a one-kind run of 8 about once in 1,000), so a key echoed in part
 * is still masked.
 */
public final class Secrets {

    /** The shortest run of a secret that is redacted: long enough not to hit ordinary words by chance. */
    static final int PIECE = 8;
    private static final String MASK = "[redacted]";
    private static final long BASE = 1_000_003L;
    private static final long TOP = pow(BASE, PIECE - 1);
    // Shapes of common provider keys, in case an upstream echoes one we do not know, and of Triage's virtual keys.
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(tk_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}|sk-ant-[A-Za-z0-9_\\-]{8,}|sk-[A-Za-z0-9_\\-]{16,}|AIza[0-9A-Za-z_\\-]{20,}|Bearer\\s+[A-Za-z0-9._\\-]{8,})");
    // user:password@ in any URL: never printed, whether or not the password is a registered secret.
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^\\s/?#@]+@");

    /** Hash of each piece to the pieces with that hash; replaced whole on registration (copy on write). */
    private static volatile Map<Long, List<String>> pieces = Map.of();
    /** Every secret, matched whole (the only match for those shorter than a piece or made of one kind of character). */
    private static volatile List<String> wholes = List.of();

    private Secrets() {
    }

    /** Registers a secret value; values shorter than 6 characters are ignored (too likely to be words). */
    public static synchronized void register(String secret) {
        if (secret == null || secret.length() < 6) {
            return;
        }
        if (!wholes.contains(secret)) {
            List<String> more = new ArrayList<>(wholes);
            more.add(secret);
            // Longest first, so a secret that contains another is masked whole.
            more.sort((a, b) -> b.length() - a.length());
            wholes = List.copyOf(more);
        }
        if (secret.length() < PIECE) {
            return;
        }
        Map<Long, List<String>> more = new HashMap<>(pieces);
        for (String form : forms(secret)) {
            for (int i = 0; i + PIECE <= form.length(); i++) {
                String piece = form.substring(i, i + PIECE);
                if (!mixesKinds(piece)) {
                    continue;
                }
                List<String> same = more.computeIfAbsent(hash(piece, 0), h -> new ArrayList<>());
                if (!same.contains(piece)) {
                    same.add(piece);
                }
            }
        }
        pieces = Map.copyOf(more);
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : wholes) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        out = maskPieces(out);
        out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        return KEY_SHAPES.matcher(out).replaceAll("[redacted]");
    }

    /** Whether a run holds at least two of lower-case letters, capitals and digits. */
    static boolean mixesKinds(String piece) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            lower |= Character.isLowerCase(c);
            upper |= Character.isUpperCase(c);
            digit |= Character.isDigit(c);
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) >= 2;
    }

    /** The secret as written, and the stable interior of each of its base64 encodings. */
    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        for (int lead = 0; lead < 3; lead++) {
            byte[] shifted = new byte[lead + raw.length];
            System.arraycopy(raw, 0, shifted, lead, raw.length);
            String std = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // The first characters mix in the bytes before the secret and the last ones the bytes after it:
            // only the characters that depend on the secret alone are the same wherever it is encoded.
            int from = (lead * 8 + 5) / 6;
            int to = (shifted.length * 8) / 6;
            if (to - from >= PIECE) {
                String core = std.substring(from, to);
                forms.add(core);
                forms.add(core.replace('+', '-').replace('/', '_'));
            }
        }
        return forms;
    }

    private static String maskPieces(String text) {
        Map<Long, List<String>> known = pieces;
        if (known.isEmpty() || text.length() < PIECE) {
            return text;
        }
        boolean[] secret = null;
        long h = hash(text, 0);
        for (int i = 0; ; i++) {
            List<String> candidates = known.get(h);
            if (candidates != null && candidates.contains(text.substring(i, i + PIECE))) {
                if (secret == null) {
                    secret = new boolean[text.length()];
                }
                java.util.Arrays.fill(secret, i, i + PIECE, true);
            }
            if (i + PIECE >= text.length()) {
                break;
            }
            h = (h - text.charAt(i) * TOP) * BASE + text.charAt(i + PIECE);
        }
        if (secret == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!secret[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !secret[i - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    private static long hash(String s, int from) {
        long h = 0;
        for (int i = from; i < from + PIECE; i++) {
            h = h * BASE + s.charAt(i);
        }
        return h;
    }

    private static long pow(long base, int exp) {
        long r = 1;
        for (int i = 0; i < exp; i++) {
            r *= base;
        }
        return r;
    }
}
