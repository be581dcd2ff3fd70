package dev.triage.http;

/**
 * Checks the short strings a client sends that end up as names in the ledger, its roll-ups and the metrics
 * ({@code model}, {@code user}, {@code metadata}, task hints). Such a value is refused at the door, before any
 * upstream call, when it is absurd: a control character (NUL among them, which PostgreSQL cannot store), half of
 * a surrogate pair, or more characters than any real name needs. Values that are long but legal pass; the ledger
 * bounds what it stores of them, keeping distinct values distinct with a hash.
 */
final class ClientText {

    /** Model and route names: the longest id in any provider's catalog is under 100 characters. */
    static final int MAX_NAME_CHARS = 256;
    /** End-user ids: e-mail addresses, UUIDs and hashes fit with room to spare; 8,000 characters of base64 do not. */
    static final int MAX_USER_CHARS = 1024;

    private ClientText() {
    }

    /** @throws ApiError 400 naming {@code param} when the value is absurd */
    static void check(String param, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw ApiError.badRequest(param, "'" + param + "' is " + value.length() + " characters long; at most "
                    + maxChars + " are accepted");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw ApiError.badRequest(param, "'" + param + "' contains the control character U+"
                        + String.format("%04X", (int) c) + " at position " + i + "; names may not contain control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiError.badRequest(param, "'" + param + "' contains an unpaired surrogate (\\u"
                        + String.format("%04x", (int) c) + ") at position " + i + "; it is not text");
            }
        }
    }
}
