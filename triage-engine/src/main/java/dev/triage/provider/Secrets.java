package dev.triage.provider;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of messages. Every configured API key is registered at start-up; any text
 * that leaves Triage through an error, a log line or the ledger passes through {@link #redact}.
 */
public final class Secrets {

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    // Shapes of common provider keys, in case an upstream echoes one we do not know.
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(sk-ant-[A-Za-z0-9_\\-]{8,}|sk-[A-Za-z0-9_\\-]{16,}|AIza[0-9A-Za-z_\\-]{20,}|Bearer\\s+[A-Za-z0-9._\\-]{8,})");

    private Secrets() {
    }

    /** Registers a secret value; values shorter than 6 characters are ignored (too likely to be words). */
    public static void register(String secret) {
        if (secret != null && secret.length() >= 6) {
            KNOWN.add(secret);
        }
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : KNOWN) {
            if (out.contains(s)) {
                out = out.replace(s, "[redacted]");
            }
        }
        return KEY_SHAPES.matcher(out).replaceAll("[redacted]");
    }
}
