package dev.triage.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of one Anthropic event stream being re-told as OpenAI {@code chat.completion.chunk}s.
 *
 * <p>Anthropic numbers content blocks across text and tool use; OpenAI numbers tool calls on their
 * own, so each {@code tool_use} block gets the next tool-call index. The closing chunk (empty delta,
 * {@code finish_reason}) is sent on {@code message_stop}, so a client never sees a finished stream
 * for an answer that was cut off.
 */
final class StreamTranslation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ChunkSink sink;
    private final AnthropicErrors errors;
    private final String provider;
    private final long created;
    private String id;
    private String model;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private long inputTokens;
    private long cacheRead;
    private long cacheWrite;
    private long outputTokens;
    private boolean started;
    private String finishReason;
    private String stopSequence;

    StreamTranslation(ChunkSink sink, AnthropicErrors errors, String provider, String model, long created) {
        this.sink = sink;
        this.errors = errors;
        this.provider = provider;
        this.model = model;
        this.created = created;
    }

    /** Handles one event; returns true once the message is complete ({@code message_stop}). */
    boolean accept(JsonNode event) {
        String type = event.path("type").asText();
        switch (type) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                id = message.path("id").asText(null);
                model = message.path("model").asText(model);
                readUsage(message.path("usage"));
                started = true;
                ObjectNode delta = NODES.objectNode();
                delta.put("role", "assistant");
                delta.put("content", "");
                emit(delta, null);
            }
            case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
            case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
            case "message_delta" -> {
                String stop = event.path("delta").path("stop_reason").asText(null);
                if (stop != null) {
                    finishReason = MessagesResponse.finishReason(stop);
                }
                if (event.path("delta").path("stop_sequence").isTextual()) {
                    stopSequence = event.path("delta").path("stop_sequence").asText();
                }
                readUsage(event.path("usage"));
            }
            case "message_stop" -> {
                requireStarted(type);
                ObjectNode last = new CompletionShape(id, created, model).chunk(NODES.objectNode(), finishReason == null ? "stop" : finishReason);
                if (stopSequence != null) {
                    ((ObjectNode) last.get("choices").get(0)).put(MessagesResponse.STOP_SEQUENCE, stopSequence);
                }
                sink.onChunk(last);
                return true;
            }
            case "error" -> throw errors.fromStreamEvent(event);
            default -> {
                // ping, content_block_stop, and event types added after this was written
            }
        }
        return false;
    }

    StreamOutcome outcome() {
        Usage usage = new Usage(inputTokens + cacheRead + cacheWrite, outputTokens, cacheRead, cacheWrite, 0, false);
        return new StreamOutcome(usage, finishReason == null ? "stop" : finishReason);
    }

    private void blockStart(int index, JsonNode block) {
        requireStarted("content_block_start");
        switch (block.path("type").asText()) {
            case "text" -> {
                String text = block.path("text").asText("");
                if (!text.isEmpty()) {
                    emit(NODES.objectNode().put("content", text), null);
                }
            }
            case "tool_use" -> {
                int toolIndex = toolIndexByBlock.size();
                toolIndexByBlock.put(index, toolIndex);
                ObjectNode call = NODES.objectNode();
                call.put("index", toolIndex);
                call.put("id", block.path("id").asText());
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                function.put("name", block.path("name").asText());
                function.put("arguments", "");
                ObjectNode delta = NODES.objectNode();
                delta.putArray("tool_calls").add(call);
                emit(delta, null);
            }
            case "redacted_thinking" -> emit(thinkingBlock(block.deepCopy()), null);
            default -> {
                // thinking blocks arrive through thinking_delta; other blocks are not shown
            }
        }
    }

    private void blockDelta(int index, JsonNode delta) {
        requireStarted("content_block_delta");
        switch (delta.path("type").asText()) {
            case "text_delta" -> emit(NODES.objectNode().put("content", delta.path("text").asText()), null);
            case "input_json_delta" -> {
                String partial = delta.path("partial_json").asText("");
                Integer toolIndex = toolIndexByBlock.get(index);
                if (toolIndex == null) {
                    throw new ProviderException(ErrorKind.PROTOCOL, 200,
                            provider + ": tool input for content block " + index + " that was never started");
                }
                if (!partial.isEmpty()) {
                    ObjectNode call = NODES.objectNode();
                    call.put("index", toolIndex);
                    call.putObject("function").put("arguments", partial);
                    ObjectNode out = NODES.objectNode();
                    out.putArray("tool_calls").add(call);
                    emit(out, null);
                }
            }
            case "thinking_delta" -> emit(NODES.objectNode().put("reasoning_content", delta.path("thinking").asText()), null);
            case "signature_delta" -> {
                ObjectNode block = NODES.objectNode();
                block.put("type", "thinking");
                block.put("signature", delta.path("signature").asText());
                emit(thinkingBlock(block), null);
            }
            default -> {
                // citations_delta: no OpenAI counterpart
            }
        }
    }

    /** A delta carrying one thinking block's signature (or a redacted block), for clients that send them back. */
    private static ObjectNode thinkingBlock(ObjectNode block) {
        ObjectNode delta = NODES.objectNode();
        delta.putArray(MessagesResponse.THINKING_BLOCKS).add(block);
        return delta;
    }

    private void readUsage(JsonNode u) {
        // message_delta counts are cumulative, so the latest value of each field wins.
        if (u.has("input_tokens")) {
            inputTokens = u.path("input_tokens").asLong(inputTokens);
        }
        if (u.has("cache_read_input_tokens")) {
            cacheRead = u.path("cache_read_input_tokens").asLong(cacheRead);
        }
        if (u.has("cache_creation_input_tokens")) {
            cacheWrite = u.path("cache_creation_input_tokens").asLong(cacheWrite);
        }
        if (u.has("output_tokens")) {
            outputTokens = u.path("output_tokens").asLong(outputTokens);
        }
    }

    private void requireStarted(String type) {
        if (!started) {
            throw new ProviderException(ErrorKind.PROTOCOL, 200, provider + ": " + type + " before message_start");
        }
    }

    private void emit(ObjectNode delta, String finish) {
        sink.onChunk(new CompletionShape(id, created, model).chunk(delta, finish));
    }
}
