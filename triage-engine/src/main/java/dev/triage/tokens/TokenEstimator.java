package dev.triage.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Local token counts for when a provider reports none (streams cut short, budget pre-checks).
 * Uses the o200k_base encoding; counts for other vendors' tokenizers differ by a few percent, which
 * is why every figure from here is marked as an estimate.
 */
public final class TokenEstimator {

    // Per-message framing tokens in OpenAI's chat format (role markers and separators).
    private static final int PER_MESSAGE = 4;
    private static final int PER_REPLY = 3;

    private final Encoding encoding;

    public TokenEstimator() {
        this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Prompt tokens of an OpenAI {@code messages} array (text parts, tool calls and names). */
    public int countMessages(JsonNode messages) {
        int total = PER_REPLY;
        for (JsonNode m : messages) {
            total += PER_MESSAGE;
            JsonNode content = m.get("content");
            if (content != null && content.isTextual()) {
                total += count(content.asText());
            } else if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    if (part.has("text")) {
                        total += count(part.get("text").asText());
                    } else if (part.has("image_url")) {
                        total += 85; // a low-detail image tile; the provider reports the real figure
                    }
                }
            }
            JsonNode toolCalls = m.get("tool_calls");
            if (toolCalls != null) {
                for (JsonNode call : toolCalls) {
                    total += count(call.path("function").path("name").asText()) + count(call.path("function").path("arguments").asText());
                }
            }
            if (m.has("name")) {
                total += count(m.get("name").asText());
            }
        }
        return total;
    }
}
