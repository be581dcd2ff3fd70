package dev.triage.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * The text of one answered request, kept only when {@code storage.capture_text} is on so that
 * {@code triage train --from-ledger} can learn from requests that got feedback. Holds no headers, keys
 * or user ids: the prompt as learned routing reads it and the answer the client got.
 *
 * @param requestId    the request's {@code x-triage-request-id}
 * @param route        the route or model the client asked for
 * @param model        Triage's id of the model that answered
 * @param prompt       the request's system and user text ({@code dev.triage.learn.PromptText}), at most
 *                     {@link #MAX_CHARS} characters (NUL characters are removed from both texts)
 * @param answer       the answer's text (assembled from the chunks of a stream), at most {@link #MAX_CHARS}
 *                     characters; null when the answer had no text (a tool call)
 * @param finishReason the OpenAI finish reason of the answer, or null
 * @param time         when the answer was complete
 */
public record CapturedText(String requestId, String route, String model, String prompt, String answer,
                           String finishReason, Instant time) implements LedgerRecord {

    /** The longest prompt or answer kept (characters); the rest is cut off. */
    public static final int MAX_CHARS = 100_000;

    public CapturedText {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(time, "time");
        prompt = cut(Objects.requireNonNull(prompt, "prompt"));
        answer = cut(answer);
    }

    // NUL characters go too: PostgreSQL's TEXT cannot hold them, and would refuse the row.
    private static String cut(String text) {
        if (text == null) {
            return null;
        }
        String out = text.indexOf('\0') >= 0 ? text.replace("\0", "") : text;
        if (out.length() <= MAX_CHARS) {
            return out;
        }
        return out.substring(0, Character.isHighSurrogate(out.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS);
    }
}
