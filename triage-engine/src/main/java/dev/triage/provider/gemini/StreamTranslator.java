package dev.triage.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;

/**
 * Turns the fragments of one {@code streamGenerateContent} stream into OpenAI chunks.
 *
 * <p>Every Gemini fragment is a whole {@code GenerateContentResponse} holding only the new parts;
 * its {@code usageMetadata} is a running total, so the last one seen is the stream's usage. Only the
 * first candidate is streamed: a chunk carries one choice, index 0.
 */
final class StreamTranslator {

    private final ResponseTranslator responses;
    private final String upstreamModel;
    private final String provider;
    private String id;
    private String model;
    private long created;
    private boolean roleSent;
    private int toolCalls;
    private String finishReason;
    private Usage usage;

    StreamTranslator(ResponseTranslator responses, String upstreamModel, String provider) {
        this.responses = responses;
        this.upstreamModel = upstreamModel;
        this.provider = provider;
    }

    void accept(JsonNode fragment, ChunkSink sink) {
        if (id == null) {
            id = responses.responseId(fragment);
            model = ResponseTranslator.model(fragment, upstreamModel);
            created = responses.created();
        }
        Usage reported = ResponseTranslator.usage(fragment.get("usageMetadata"));
        if (reported != null) {
            usage = reported;
        }
        if (finishReason != null) {
            return; // only a later usage update matters now
        }
        JsonNode candidates = fragment.path("candidates");
        if (candidates.isEmpty()) {
            if (ResponseTranslator.blockReason(fragment) != null) {
                finish("content_filter", sink);
            }
            return;
        }
        JsonNode candidate = candidates.get(0);
        // A fragment's logprobs are those of its own tokens: they ride on its first text chunk.
        ObjectNode logprobs = TokenLogprobs.of(candidate);
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (ResponseTranslator.isAnswerText(part)) {
                String text = part.get("text").asText();
                if (!text.isEmpty()) {
                    ObjectNode delta = delta();
                    delta.put("content", text);
                    sink.onChunk(withLogprobs(chunk(delta, null), logprobs));
                    logprobs = null;
                }
            } else if (part.has("functionCall")) {
                ObjectNode call = ResponseTranslator.JSON.createObjectNode();
                call.put("index", toolCalls++);
                call.setAll(responses.toolCall(part.get("functionCall")));
                ObjectNode delta = delta();
                delta.putArray("tool_calls").add(call);
                sink.onChunk(chunk(delta, null));
            }
        }
        JsonNode reason = candidate.get("finishReason");
        if (reason != null && reason.isTextual()) {
            finish(ResponseTranslator.finishReason(reason.asText(), toolCalls > 0), logprobs, sink);
        } else if (logprobs != null && !logprobs.get("content").isEmpty()) {
            sink.onChunk(withLogprobs(chunk(delta(), null), logprobs));
        }
    }

    private static ObjectNode withLogprobs(ObjectNode chunk, ObjectNode logprobs) {
        if (logprobs != null) {
            ((ObjectNode) chunk.get("choices").get(0)).set("logprobs", logprobs);
        }
        return chunk;
    }

    /** How the stream ended; Gemini has no end marker, so a stream without a finish reason was cut. */
    StreamOutcome outcome() {
        if (finishReason == null) {
            throw new ProviderException(ErrorKind.CONNECTION, 0, provider + ": stream ended before completion");
        }
        return new StreamOutcome(usage, finishReason);
    }

    private void finish(String reason, ChunkSink sink) {
        finish(reason, null, sink);
    }

    private void finish(String reason, ObjectNode logprobs, ChunkSink sink) {
        finishReason = reason;
        ObjectNode delta = delta();
        if (delta.has("role")) {
            delta.put("content", ""); // nothing was said: give the client a well-formed empty message
        }
        sink.onChunk(withLogprobs(chunk(delta, reason), logprobs));
    }

    private ObjectNode delta() {
        ObjectNode delta = ResponseTranslator.JSON.createObjectNode();
        if (!roleSent) {
            delta.put("role", "assistant");
            roleSent = true;
        }
        return delta;
    }

    private ObjectNode chunk(ObjectNode delta, String finish) {
        return new CompletionShape(id, created, model).chunk(delta, finish);
    }
}
