package dev.triage.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import jakarta.servlet.ServletOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's Messages API: a {@code chat.completion} told as a {@code message} (thinking, text and
 * {@code tool_use} blocks, {@code stop_reason}, Anthropic's usage), and a chunk stream told as Anthropic's
 * event sequence ({@code message_start}, {@code content_block_start}/{@code _delta}/{@code _stop},
 * {@code message_delta}, {@code message_stop}).
 */
final class MessagesDialect implements Dialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long estimatedInputTokens;

    /** @param estimatedInputTokens the prompt's estimated size, for {@code message_start} (the real count comes in {@code message_delta}) */
    MessagesDialect(long estimatedInputTokens) {
        this.estimatedInputTokens = estimatedInputTokens;
    }

    /** The message id for a gateway request id: Anthropic's ids start with {@code msg_}. */
    static String messageId(String requestId) {
        return "msg_" + requestId;
    }

    @Override
    public ObjectNode answer(ObjectNode completion, Usage usage) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode out = JSON.createObjectNode();
        String id = completion.path("id").asText();
        String chatPrefix = CompletionShape.idFor("");
        out.put("id", messageId(id.startsWith(chatPrefix) ? id.substring(chatPrefix.length()) : id));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", completion.path("model").asText());
        ArrayNode content = out.putArray("content");
        JsonNode signed = message.path(MessagesTranslation.THINKING_BLOCKS);
        if (signed.isArray() && !signed.isEmpty()) {
            // an Anthropic model's own blocks, signatures included
            signed.forEach(b -> content.add(b.deepCopy()));
        } else {
            String reasoning = reasoning(message);
            if (!reasoning.isEmpty()) {
                content.add(thinkingBlock(reasoning));
            }
        }
        if (message.path("content").isTextual() && !message.get("content").textValue().isEmpty()) {
            content.add(textBlock(message.get("content").textValue()));
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode block = content.addObject();
            block.put("type", "tool_use");
            block.put("id", call.path("id").asText());
            block.put("name", call.path("function").path("name").asText());
            block.set("input", toolInput(call.path("function").path("arguments").asText("")));
        }
        String sequence = stopSequence(choice);
        out.put("stop_reason", sequence != null ? "stop_sequence" : stopReason(choice.path("finish_reason").asText(null)));
        if (sequence != null) {
            out.put("stop_sequence", sequence);
        } else {
            out.putNull("stop_sequence");
        }
        out.set("usage", usage(usage != null ? usage : fromChat(completion.path("usage"))));
        return out;
    }

    @Override
    public Stream open(ServletOutputStream out, String requestId, String model) {
        return new EventStream(new SseStream(out, JSON), messageId(requestId), model, estimatedInputTokens);
    }

    /**
     * The stop sequence a choice ended on, where its provider said it: {@code stop_reason} beside {@code finish_reason:
     * stop}, as Triage's Anthropic provider and vLLM write it (vLLM also puts token ids there, which are not sequences).
     */
    static String stopSequence(JsonNode choice) {
        JsonNode sequence = choice.path("stop_reason");
        return "stop".equals(choice.path("finish_reason").asText()) && sequence.isTextual() ? sequence.textValue() : null;
    }

    /** OpenAI's {@code finish_reason} as Anthropic's {@code stop_reason}. */
    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /**
     * Anthropic's usage: its {@code input_tokens} leaves out what was read from or written to the prompt cache,
     * which Triage's {@link Usage} counts inside the input.
     */
    static ObjectNode usage(Usage usage) {
        ObjectNode u = JSON.createObjectNode();
        u.put("input_tokens", usage.uncachedInputTokens());
        u.put("cache_creation_input_tokens", usage.cacheWriteTokens());
        u.put("cache_read_input_tokens", usage.cachedInputTokens());
        u.put("output_tokens", usage.outputTokens());
        return u;
    }

    /** Usage from a chat {@code usage} object (a cached answer's), which knows no cache writes. */
    private static Usage fromChat(JsonNode u) {
        long input = Math.max(0, u.path("prompt_tokens").asLong(0));
        long cached = Math.min(input, Math.max(0, u.path("prompt_tokens_details").path("cached_tokens").asLong(0)));
        return new Usage(input, Math.max(0, u.path("completion_tokens").asLong(0)), cached, 0, 0, false);
    }

    private static String reasoning(JsonNode message) {
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            if (message.path(field).isTextual()) {
                return message.get(field).textValue();
            }
        }
        return "";
    }

    private static ObjectNode textBlock(String text) {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", "text");
        block.put("text", text);
        block.putNull("citations");
        return block;
    }

    /** A thinking block of a model that does not sign its thinking (only Anthropic's do): the signature is empty. */
    private static ObjectNode thinkingBlock(String thinking) {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", "thinking");
        block.put("thinking", thinking);
        block.put("signature", "");
        return block;
    }

    /** Tool arguments arrive as a JSON string; Anthropic's {@code input} is the object itself. */
    static JsonNode toolInput(String arguments) {
        if (arguments.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(arguments);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // below
        }
        // A model that wrote arguments which are not a JSON object: kept whole, so the client sees what it sent.
        ObjectNode kept = JSON.createObjectNode();
        kept.put("arguments", arguments);
        return kept;
    }

    /**
     * The chat chunks of one answer re-told as Anthropic's events. Each text, thinking and tool call becomes a
     * content block, numbered in the order they start; a block is stopped when the next one starts.
     */
    private static final class EventStream implements Stream {

        private final SseStream sse;
        private final Map<Integer, Integer> blockByToolIndex = new HashMap<>();
        private String open; // the type of the block being written, or null
        private int blocks;
        private String finishReason;
        private String stopSequence;

        EventStream(SseStream sse, String id, String model, long estimatedInputTokens) {
            this.sse = sse;
            ObjectNode event = event("message_start");
            ObjectNode message = event.putObject("message");
            message.put("id", id);
            message.put("type", "message");
            message.put("role", "assistant");
            message.put("model", model);
            message.putArray("content");
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            message.set("usage", usage(new Usage(estimatedInputTokens, 0, 0, 0, 0, true)));
            sse.send("message_start", event);
        }

        @Override
        public void chunk(ObjectNode chatChunk) {
            JsonNode choice = chatChunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            String reasoning = reasoning(delta);
            if (!reasoning.isEmpty()) {
                start("thinking", null);
                ObjectNode d = JSON.createObjectNode().put("type", "thinking_delta").put("thinking", reasoning);
                delta(d);
            }
            for (JsonNode block : delta.path(MessagesTranslation.THINKING_BLOCKS)) {
                signed(block);
            }
            if (delta.path("content").isTextual() && !delta.get("content").textValue().isEmpty()) {
                start("text", null);
                delta(JSON.createObjectNode().put("type", "text_delta").put("text", delta.get("content").textValue()));
            }
            for (JsonNode call : delta.path("tool_calls")) {
                int toolIndex = call.path("index").asInt(0);
                if (!blockByToolIndex.containsKey(toolIndex)) {
                    start("tool_use", call);
                    blockByToolIndex.put(toolIndex, blocks - 1);
                }
                String arguments = call.path("function").path("arguments").asText("");
                if (!arguments.isEmpty()) {
                    if (blockByToolIndex.get(toolIndex) != blocks - 1) {
                        continue; // fragments of a call after another started: no model streams so; skipped, not misfiled
                    }
                    delta(JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", arguments));
                }
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.get("finish_reason").textValue();
                stopSequence = stopSequence(choice);
            }
        }

        @Override
        public void end(ObjectNode usageChunk, Usage usage, boolean includeUsage) {
            stopBlock();
            ObjectNode event = event("message_delta");
            ObjectNode delta = event.putObject("delta");
            delta.put("stop_reason", stopSequence != null ? "stop_sequence" : stopReason(finishReason));
            if (stopSequence != null) {
                delta.put("stop_sequence", stopSequence);
            } else {
                delta.putNull("stop_sequence");
            }
            event.set("usage", usage(usage != null ? usage : fromChat(usageChunk.path("usage"))));
            sse.send("message_delta", event);
            sse.send("message_stop", event("message_stop"));
        }

        @Override
        public void failed(int status, String code, String message) {
            ObjectNode event = event("error");
            ObjectNode error = event.putObject("error");
            error.put("type", MessagesErrors.typeFor(status));
            error.put("message", message);
            sse.send("error", event);
        }

        /** A thinking block's signature (closing the thinking it signs), or a redacted thinking block whole. */
        private void signed(JsonNode block) {
            if ("redacted_thinking".equals(block.path("type").asText())) {
                stopBlock();
                ObjectNode event = event("content_block_start");
                event.put("index", blocks);
                event.set("content_block", block.deepCopy());
                sse.send("content_block_start", event);
                open = "redacted_thinking";
                blocks++;
                stopBlock();
            } else if (block.path("signature").isTextual()) {
                start("thinking", null);
                delta(JSON.createObjectNode().put("type", "signature_delta").put("signature", block.get("signature").textValue()));
            }
        }

        /** Starts a block of {@code type} unless one is open already (a tool call always starts its own). */
        private void start(String type, JsonNode call) {
            if (type.equals(open) && call == null) {
                return;
            }
            stopBlock();
            ObjectNode event = event("content_block_start");
            event.put("index", blocks);
            ObjectNode block = switch (type) {
                case "text" -> textBlock("");
                case "thinking" -> thinkingBlock("");
                default -> {
                    ObjectNode b = JSON.createObjectNode();
                    b.put("type", "tool_use");
                    b.put("id", call.path("id").asText());
                    b.put("name", call.path("function").path("name").asText());
                    b.putObject("input");
                    yield b;
                }
            };
            event.set("content_block", block);
            sse.send("content_block_start", event);
            open = type;
            blocks++;
        }

        private void delta(ObjectNode delta) {
            ObjectNode event = event("content_block_delta");
            event.put("index", blocks - 1);
            event.set("delta", delta);
            sse.send("content_block_delta", event);
        }

        private void stopBlock() {
            if (open == null) {
                return;
            }
            ObjectNode event = event("content_block_stop");
            event.put("index", blocks - 1);
            sse.send("content_block_stop", event);
            open = null;
        }

        private static ObjectNode event(String type) {
            return JSON.createObjectNode().put("type", type);
        }
    }
}
