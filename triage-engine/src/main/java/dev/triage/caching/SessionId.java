package dev.triage.caching;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.chat.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The conversation a request belongs to: the client's {@code x-triage-session} header, else the OpenAI
 * {@code user} field, else a hash of the system prompt and the first user message (which every turn of
 * a conversation re-sends unchanged). Always returned hashed (SHA-256, 16 hex digits) with the route or
 * model asked for, so the id carries no user name and one client's sessions on two routes stay apart.
 */
public final class SessionId {

    private SessionId() {
    }

    /** The session of {@code request}; {@code header} is the client's {@code x-triage-session}, or null. */
    public static String of(ChatRequest request, String header) {
        String basis;
        if (header != null && !header.isBlank()) {
            basis = "header\u0000" + header.strip();
        } else if (request.user() != null && !request.user().isBlank()) {
            basis = "user\u0000" + request.user();
        } else {
            basis = "opening\u0000" + opening(request);
        }
        return hash(request.model() + "\u0000" + basis);
    }

    /** The system and developer messages, and the first user message, as their JSON. */
    private static String opening(ChatRequest request) {
        StringBuilder b = new StringBuilder();
        for (JsonNode m : request.messages()) {
            String role = m.path("role").asText();
            if (role.equals("system") || role.equals("developer")) {
                b.append(role).append('\u0000').append(text(m.path("content"))).append('\u0000');
            } else if (role.equals("user")) {
                b.append("user\u0000").append(text(m.path("content")));
                break;
            }
        }
        return b.toString();
    }

    /** A string content as it is (no JSON escaping to pay for), anything else as its JSON. */
    private static String text(JsonNode content) {
        return content.isTextual() ? content.asText() : content.toString();
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
