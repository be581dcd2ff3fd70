package dev.triage.ledger.jdbc;

import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Makes every text the ledger writes storable on both databases, whatever a client, an upstream or an
 * older spool put in it: NUL (which PostgreSQL text refuses, SQLState 22021) and unpaired surrogates
 * (not UTF-8 at all) become U+FFFD, and a value over its column's bound in UTF-8 bytes is cut, with a
 * hash of the whole value appended so that long values stay distinct in the roll-ups. The bounds keep
 * every index key far below PostgreSQL's btree limit (2,704 bytes): {@code ledger_daily}'s key holds
 * four {@link #KEY_BYTES} columns, {@code ledger_daily_users}' one {@link #USER_BYTES} column.
 *
 * <p>The HTTP layer refuses or shortens absurd values before they get here; this is the ledger not
 * relying on it. Everything here is idempotent, so a row may pass through it more than once.
 */
final class Storable {

    /** Request ids, routes, models, providers, tasks, tiers, steps, error kinds, key names, context arms, finish reasons. */
    static final int KEY_BYTES = 256;
    /** The client's {@code user} field, a key of {@code ledger_daily_users}. */
    static final int USER_BYTES = 512;
    /** The routing decision line; not indexed. */
    static final int DECISION_BYTES = 4_000;
    /** A captured prompt or answer: {@link CapturedText#MAX_CHARS} characters of at most 4 bytes. */
    static final int TEXT_BYTES = 4 * CapturedText.MAX_CHARS;

    private static final char REPLACEMENT = '\uFFFD';
    /** Marks a cut value: "…" then 16 hex digits of SHA-256 of the whole value. */
    private static final String CUT = "\u2026";
    private static final int HASH_HEX = 16;
    private static final int SUFFIX_BYTES = CUT.getBytes(StandardCharsets.UTF_8).length + HASH_HEX;

    private Storable() {
    }

    static LedgerRecord record(LedgerRecord record) {
        return switch (record) {
            case LedgerEntry e -> entry(e);
            case CapturedText t -> text(t);
            case CacheLookup c -> cache(c);
        };
    }

    /** The entry with every text column storable; the same instance when nothing needed changing. */
    static LedgerEntry entry(LedgerEntry e) {
        String requestId = key(e.requestId());
        String route = key(e.route());
        String model = key(e.model());
        String provider = key(e.provider());
        String errorKind = key(e.errorKind());
        String user = bounded(e.user(), USER_BYTES);
        String task = key(e.task());
        String tier = key(e.tier());
        String step = key(e.step());
        String decision = bounded(e.decision(), DECISION_BYTES);
        String apiKey = key(e.apiKey());
        String contextArm = key(e.contextArm());
        if (requestId == e.requestId() && route == e.route() && model == e.model() && provider == e.provider()
                && errorKind == e.errorKind() && user == e.user() && task == e.task() && tier == e.tier()
                && step == e.step() && decision == e.decision() && apiKey == e.apiKey() && contextArm == e.contextArm()) {
            return e;
        }
        return new LedgerEntry(requestId, e.attempt(), route, model, provider, e.usage(), e.cost(), e.cacheSaving(), e.latencyMs(),
                e.ttftMs(), e.status(), errorKind, e.httpStatus(), e.stream(), user, task, tier, step, decision, e.time(), apiKey,
                contextArm);
    }

    /** The captured text with every column storable; the same instance when nothing needed changing. */
    static CapturedText text(CapturedText t) {
        String requestId = key(t.requestId());
        String route = key(t.route());
        String model = key(t.model());
        String prompt = bounded(t.prompt(), TEXT_BYTES);
        String answer = bounded(t.answer(), TEXT_BYTES);
        String finishReason = key(t.finishReason());
        if (requestId == t.requestId() && route == t.route() && model == t.model() && prompt == t.prompt()
                && answer == t.answer() && finishReason == t.finishReason()) {
            return t;
        }
        return new CapturedText(requestId, route, model, prompt, answer, finishReason, t.time());
    }

    /** The cache lookup with every text column storable; the same instance when nothing needed changing. */
    static CacheLookup cache(CacheLookup c) {
        String requestId = key(c.requestId());
        String route = key(c.route());
        String model = key(c.model());
        String outcome = key(c.outcome());
        String source = key(c.sourceRequestId());
        String user = bounded(c.user(), USER_BYTES);
        String apiKey = key(c.apiKey());
        if (requestId == c.requestId() && route == c.route() && model == c.model() && outcome == c.outcome()
                && source == c.sourceRequestId() && user == c.user() && apiKey == c.apiKey()) {
            return c;
        }
        return new CacheLookup(requestId, route, model, outcome, c.saved(), source, c.stream(), user, apiKey, c.time());
    }

    static String key(String value) {
        return bounded(value, KEY_BYTES);
    }

    /**
     * {@code value} with NUL and unpaired surrogates replaced, then, if it is longer than
     * {@code maxBytes} in UTF-8, cut to fit with "…" and a hash of the whole value; null stays null.
     */
    static String bounded(String value, int maxBytes) {
        if (value == null) {
            return null;
        }
        String clean = clean(value);
        // Three bytes per UTF-16 unit at most (a surrogate pair is 2 units, 4 bytes), so short values skip the count.
        if ((long) clean.length() * 3 <= maxBytes || utf8Length(clean) <= maxBytes) {
            return clean;
        }
        StringBuilder cut = new StringBuilder(maxBytes);
        int budget = maxBytes - SUFFIX_BYTES;
        int used = 0;
        for (int i = 0; i < clean.length(); ) {
            int cp = clean.codePointAt(i);
            int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + bytes > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return cut.append(CUT).append(sha256(clean), 0, HASH_HEX).toString();
    }

    /** The value with NUL and unpaired surrogates replaced by U+FFFD; the same instance when it has none. */
    static String clean(String value) {
        Objects.requireNonNull(value);
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean bad;
            if (c == '\0') {
                bad = true;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(value.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                bad = true;
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                out.append(bad ? REPLACEMENT : c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4; // with its low surrogate: clean() left no unpaired ones
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
