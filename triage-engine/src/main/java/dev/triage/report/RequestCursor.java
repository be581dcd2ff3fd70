package dev.triage.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of the request log ended: its last request's start and id. Pages are keyed on them (newest first,
 * ties by id), so requests recorded while a client pages never shift or repeat lines.
 */
public record RequestCursor(Instant time, String requestId) {

    public RequestCursor {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(requestId, "requestId");
    }

    /** The opaque token a client sends back as {@code page}: URL-safe base64 of {@code epochMillis:requestId}. */
    public String token() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time.toEpochMilli() + ":" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException when the token is not one {@link #token()} made
     */
    public static RequestCursor parse(String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("page: not a page token from this API (send back next_page as it came)");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("page: not a page token from this API (send back next_page as it came)");
        }
        try {
            return new RequestCursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))), text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page: not a page token from this API (send back next_page as it came)");
        }
    }
}
