package dev.triage.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.time.Clock;
import java.util.function.Supplier;

/** Turns a Gemini {@code GenerateContentResponse} into an OpenAI {@code chat.completion}. */
final class ResponseTranslator {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;
    private final Clock clock;
    private final Supplier<String> ids;

    /**
     * @param ids a source of unique suffixes for the ids Gemini does not give ({@code chatcmpl-}, {@code call_})
     */
    ResponseTranslator(String provider, Clock clock, Supplier<String> ids) {
        this.provider = provider;
        this.clock = clock;
        this.ids = ids;
    }

    ChatResponse translate(JsonNode answer, String upstreamModel) {
        CompletionShape shape = new CompletionShape(responseId(answer), created(), model(answer, upstreamModel));
        ArrayNode choices = JSON.createArrayNode();
        JsonNode candidates = answer.path("candidates");
        if (candidates.isEmpty()) {
            if (blockReason(answer) == null) {
                throw new ProviderException(ErrorKind.PROTOCOL, 200, provider + ": Gemini answered without candidates");
            }
            choices.add(CompletionShape.choice(0, CompletionShape.assistantMessage("", null, null), "content_filter"));
        }
        for (JsonNode candidate : candidates) {
            choices.add(choice(candidate));
        }
        Usage usage = usage(answer.get("usageMetadata"));
        ObjectNode body = shape.completion(choices, usage == null ? null : CompletionShape.usage(usage));
        return new ChatResponse(body, usage, choices.get(0).path("finish_reason").asText(null));
    }

    private ObjectNode choice(JsonNode candidate) {
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = JSON.createArrayNode();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (isAnswerText(part)) {
                text.append(part.get("text").asText());
            } else if (part.has("functionCall")) {
                toolCalls.add(toolCall(part.get("functionCall")));
            }
        }
        ObjectNode choice = CompletionShape.choice(candidate.path("index").asInt(0), // proto3 JSON omits index 0
                CompletionShape.assistantMessage(text.toString(), null, toolCalls),
                finishReason(candidate.path("finishReason").asText(null), !toolCalls.isEmpty()));
        ObjectNode logprobs = TokenLogprobs.of(candidate);
        if (logprobs != null) {
            choice.set("logprobs", logprobs);
        }
        return choice;
    }

    /** An OpenAI tool call (without stream index) for a Gemini {@code functionCall}. */
    ObjectNode toolCall(JsonNode functionCall) {
        ObjectNode call = JSON.createObjectNode();
        call.put("id", "call_" + ids.get());
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", functionCall.path("name").asText());
        JsonNode args = functionCall.get("args");
        try {
            function.put("arguments", args == null || args.isNull() ? "{}" : JSON.writeValueAsString(args));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        return call;
    }

    String responseId(JsonNode answer) {
        JsonNode id = answer.get("responseId");
        return id != null && id.isTextual() && !id.asText().isEmpty() ? id.asText() : CompletionShape.idFor(ids.get());
    }

    long created() {
        return clock.instant().getEpochSecond();
    }

    static String model(JsonNode answer, String upstreamModel) {
        JsonNode version = answer.get("modelVersion");
        return version != null && version.isTextual() && !version.asText().isEmpty() ? version.asText() : upstreamModel;
    }

    static String blockReason(JsonNode answer) {
        JsonNode reason = answer.path("promptFeedback").get("blockReason");
        return reason == null || reason.isNull() ? null : reason.asText();
    }

    /** Visible answer text; thought summaries ({@code thought: true}) are not part of the answer. */
    static boolean isAnswerText(JsonNode part) {
        JsonNode text = part.get("text");
        return text != null && text.isTextual() && !part.path("thought").asBoolean(false);
    }

    /** Gemini's {@code finishReason} in OpenAI terms. */
    static String finishReason(String gemini, boolean calledFunctions) {
        if (gemini == null) {
            return calledFunctions ? "tool_calls" : "stop";
        }
        return switch (gemini) {
            case "STOP" -> calledFunctions ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Gemini's {@code usageMetadata} in Triage's terms: {@code promptTokenCount} already includes the
     * cached tokens, and thinking tokens are counted apart from {@code candidatesTokenCount}.
     */
    static Usage usage(JsonNode metadata) {
        if (metadata == null || !metadata.isObject()) {
            return null;
        }
        long thoughts = metadata.path("thoughtsTokenCount").asLong(0);
        // Tool-use prompt tokens (built-in tools' results) are billed as input, like the prompt.
        long input = metadata.path("promptTokenCount").asLong(0) + metadata.path("toolUsePromptTokenCount").asLong(0);
        long output = metadata.path("candidatesTokenCount").asLong(0) + thoughts;
        long cached = metadata.path("cachedContentTokenCount").asLong(0);
        return new Usage(input, output, Math.min(cached, input), 0, thoughts, false);
    }
}
