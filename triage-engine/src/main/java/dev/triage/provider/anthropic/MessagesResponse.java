package dev.triage.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;

/** Turns an Anthropic {@code message} into an OpenAI {@code chat.completion}, and the shared pieces of that mapping. */
final class MessagesResponse {

    /**
     * The assistant message field (and stream delta field) that carries Anthropic's thinking blocks whole:
     * {@code thinking} with its {@code signature}, {@code redacted_thinking} with its {@code data}.
     */
    static final String THINKING_BLOCKS = "thinking_blocks";
    /**
     * The choice field that names the stop sequence an answer ended on, where vLLM also reports it
     * ({@code stop_reason}); OpenAI's {@code finish_reason} says only {@code stop}.
     */
    static final String STOP_SEQUENCE = "stop_reason";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessagesResponse() {
    }

    static ChatResponse toCompletion(JsonNode message, String fallbackModel, long createdEpochSeconds, String provider) {
        if (!"message".equals(message.path("type").asText())) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, provider + ": upstream answered with something that is not a message");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = NODES.arrayNode();
        ArrayNode thinkingBlocks = NODES.arrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> {
                    reasoning.append(block.path("thinking").asText());
                    thinkingBlocks.add(block.deepCopy());
                }
                case "redacted_thinking" -> thinkingBlocks.add(block.deepCopy());
                case "tool_use" -> {
                    ObjectNode call = toolCalls.addObject();
                    call.put("id", block.path("id").asText());
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", block.path("name").asText());
                    JsonNode input = block.get("input");
                    function.put("arguments", input == null || input.isNull() ? "{}" : input.toString());
                }
                default -> {
                    // server tool blocks: nothing an OpenAI client can use
                }
            }
        }
        String finishReason = finishReason(message.path("stop_reason").asText(null));
        Usage usage = usage(message.path("usage"));

        CompletionShape shape = new CompletionShape(message.path("id").asText(), createdEpochSeconds,
                message.path("model").asText(fallbackModel));
        ObjectNode assistant = CompletionShape.assistantMessage(text.toString(), reasoning.toString(), toolCalls);
        if (!thinkingBlocks.isEmpty()) {
            // with their signatures, so that a client can send them back in a tool-use loop (see MessagesRequest)
            assistant.set(THINKING_BLOCKS, thinkingBlocks);
        }
        ObjectNode choice = CompletionShape.choice(0, assistant, finishReason);
        if ("stop_sequence".equals(message.path("stop_reason").asText()) && message.path("stop_sequence").isTextual()) {
            choice.put(STOP_SEQUENCE, message.get("stop_sequence").asText());
        }
        // Anthropic does not count thinking tokens apart from the output, so there are no reasoning details to give.
        ObjectNode body = shape.completion(NODES.arrayNode().add(choice), CompletionShape.usageWithoutReasoning(usage));
        return new ChatResponse(body, usage, finishReason);
    }

    /** Anthropic {@code stop_reason} to OpenAI {@code finish_reason}; null stays null. */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence", "pause_turn" -> "stop";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Anthropic's {@code input_tokens} excludes prompt-cache reads and writes, which it reports
     * separately; Triage's {@link Usage} counts them inside the input.
     */
    static Usage usage(JsonNode u) {
        long read = u.path("cache_read_input_tokens").asLong(0);
        long written = u.path("cache_creation_input_tokens").asLong(0);
        long input = u.path("input_tokens").asLong(0) + read + written;
        return new Usage(input, u.path("output_tokens").asLong(0), read, written, 0, false);
    }
}
