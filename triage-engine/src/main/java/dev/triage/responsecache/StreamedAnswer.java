package dev.triage.responsecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A streamed answer put together from its {@code chat.completion.chunk}s as they go out, so that it can
 * be kept as the {@code chat.completion} a non-streaming client would have got: text, refusal and
 * reasoning appended, tool calls merged by their index (name once, arguments appended), logprobs
 * appended, the finish reason of each choice. {@link #completion} is only offered once every choice has
 * finished: a cut stream is never kept.
 */
public final class StreamedAnswer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final class Choice {
        final StringBuilder content = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        final StringBuilder refusal = new StringBuilder();
        boolean hasContent;
        boolean hasRefusal;
        final TreeMap<Integer, ObjectNode> calls = new TreeMap<>();
        final TreeMap<Integer, StringBuilder> arguments = new TreeMap<>();
        ArrayNode logprobs;
        ArrayNode refusalLogprobs;
        String finishReason;
    }

    private final TreeMap<Integer, Choice> choices = new TreeMap<>();

    /** Adds one chunk as the client got it. */
    public void add(ObjectNode chunk) {
        for (JsonNode c : chunk.path("choices")) {
            Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
            JsonNode delta = c.path("delta");
            if (delta.path("content").isTextual()) {
                choice.content.append(delta.get("content").textValue());
                choice.hasContent = true;
            }
            if (delta.path("reasoning_content").isTextual()) {
                choice.reasoning.append(delta.get("reasoning_content").textValue());
            }
            if (delta.path("refusal").isTextual()) {
                choice.refusal.append(delta.get("refusal").textValue());
                choice.hasRefusal = true;
            }
            for (JsonNode call : delta.path("tool_calls")) {
                int index = call.path("index").asInt(0);
                ObjectNode merged = choice.calls.computeIfAbsent(index, i -> NODES.objectNode());
                if (call.path("id").isTextual()) {
                    merged.put("id", call.get("id").textValue());
                }
                if (call.path("type").isTextual()) {
                    merged.put("type", call.get("type").textValue());
                }
                JsonNode function = call.path("function");
                if (function.path("name").isTextual()) {
                    ((ObjectNode) merged.with("function")).put("name", function.get("name").textValue());
                }
                if (function.path("arguments").isTextual()) {
                    choice.arguments.computeIfAbsent(index, i -> new StringBuilder()).append(function.get("arguments").textValue());
                }
            }
            JsonNode logprobs = c.path("logprobs");
            if (logprobs.path("content").isArray()) {
                choice.logprobs = append(choice.logprobs, (ArrayNode) logprobs.get("content"));
            }
            if (logprobs.path("refusal").isArray()) {
                choice.refusalLogprobs = append(choice.refusalLogprobs, (ArrayNode) logprobs.get("refusal"));
            }
            if (c.path("finish_reason").isTextual()) {
                choice.finishReason = c.get("finish_reason").textValue();
            }
        }
    }

    private static ArrayNode append(ArrayNode to, ArrayNode more) {
        ArrayNode out = to == null ? NODES.arrayNode() : to;
        out.addAll(more);
        return out;
    }

    /** True once the stream had a choice and every choice has a finish reason. */
    public boolean complete() {
        return !choices.isEmpty() && choices.values().stream().allMatch(c -> c.finishReason != null);
    }

    /** The text of the first choice, or null when it had none (a tool call). */
    public String text() {
        Choice first = choices.isEmpty() ? null : choices.firstEntry().getValue();
        return first == null || !first.hasContent ? null : first.content.toString();
    }

    /** The finish reason of the first choice, or null. */
    public String finishReason() {
        return choices.isEmpty() ? null : choices.firstEntry().getValue().finishReason;
    }

    /** The answer as a {@code chat.completion}; only when {@link #complete()}. */
    public ObjectNode completion(CompletionShape shape, Usage usage) {
        if (!complete()) {
            throw new IllegalStateException("the stream did not finish");
        }
        ArrayNode out = NODES.arrayNode();
        choices.forEach((index, c) -> {
            ArrayNode calls = NODES.arrayNode();
            c.calls.forEach((i, call) -> {
                ObjectNode function = (ObjectNode) call.with("function");
                StringBuilder args = c.arguments.get(i);
                function.put("arguments", args == null ? "" : args.toString());
                calls.add(call);
            });
            ObjectNode message = CompletionShape.assistantMessage(c.hasContent ? c.content.toString() : null,
                    c.reasoning.toString(), calls);
            if (c.hasRefusal) {
                message.put("refusal", c.refusal.toString());
            }
            ObjectNode choice = CompletionShape.choice(index, message, c.finishReason);
            if (c.logprobs != null || c.refusalLogprobs != null) {
                ObjectNode lp = choice.putObject("logprobs");
                lp.set("content", c.logprobs == null ? NODES.nullNode() : c.logprobs);
                lp.set("refusal", c.refusalLogprobs == null ? NODES.nullNode() : c.refusalLogprobs);
            }
            out.add(choice);
        });
        return shape.completion(out, CompletionShape.usage(usage));
    }

    /**
     * The chunks that stream {@code completion} again: per choice, the role, then its reasoning, text or
     * refusal (with their logprobs), then its tool calls, then its finish reason. Each carries {@code shape}'s id,
     * time and model. The usage chunk is the caller's (only when its client asked for one).
     */
    public static List<ObjectNode> replay(ObjectNode completion, CompletionShape shape) {
        List<ObjectNode> chunks = new ArrayList<>();
        for (JsonNode choice : completion.path("choices")) {
            int index = choice.path("index").asInt(0);
            JsonNode message = choice.path("message");
            chunks.add(shape.chunk(index, NODES.objectNode().put("role", "assistant").put("content", ""), null, null));
            if (message.path("reasoning_content").isTextual()) {
                chunks.add(shape.chunk(index, NODES.objectNode().put("reasoning_content", message.get("reasoning_content").textValue()),
                        null, null));
            }
            JsonNode logprobs = choice.path("logprobs");
            if (message.path("content").isTextual() && !message.get("content").textValue().isEmpty()) {
                ObjectNode lp = logprobs.path("content").isArray() ? NODES.objectNode().set("content", logprobs.get("content")) : null;
                chunks.add(shape.chunk(index, NODES.objectNode().put("content", message.get("content").textValue()), lp, null));
            }
            if (message.path("refusal").isTextual()) {
                ObjectNode lp = logprobs.path("refusal").isArray() ? NODES.objectNode().set("refusal", logprobs.get("refusal")) : null;
                chunks.add(shape.chunk(index, NODES.objectNode().put("refusal", message.get("refusal").textValue()), lp, null));
            }
            int i = 0;
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode c = NODES.objectNode();
                c.put("index", i++);
                c.setAll((ObjectNode) call);
                ObjectNode delta = NODES.objectNode();
                delta.putArray("tool_calls").add(c);
                chunks.add(shape.chunk(index, delta, null, null));
            }
            chunks.add(shape.chunk(index, NODES.objectNode(), null, choice.path("finish_reason").asText("stop")));
        }
        return chunks;
    }

}
