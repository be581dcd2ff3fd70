package dev.triage.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAI Chat Completions wire shape of one answer, built only here: its {@code chat.completion} body,
 * the {@code chat.completion.chunk}s of its stream and the closing usage chunk, all with the same id,
 * creation time and model; and the pieces of a body (choice, assistant message, {@code usage}).
 *
 * <p>Jackson trees cannot be frozen, so a body is never edited once it is built and handed on: an answer
 * that must change is a new body ({@link #readdressed}, {@link #withoutLogprobs}) sharing the parts that
 * stay the same, so nothing is deep-copied.
 *
 * @param id      the answer's id ({@link #idFor})
 * @param created when it was made, in epoch seconds
 * @param model   the model the client is told answered
 */
public record CompletionShape(String id, long created, String model) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** An OpenAI completion id: {@code chatcmpl-} and what makes it unique. */
    public static String idFor(String unique) {
        return "chatcmpl-" + unique;
    }

    /** The shape of the gateway's answer to a request: the id is made of the request id. */
    public static CompletionShape ofRequest(String requestId, long created, String model) {
        return new CompletionShape(idFor(requestId), created, model);
    }

    /** A {@code chat.completion} with these choices; {@code usage} is left out when null. */
    public ObjectNode completion(ArrayNode choices, ObjectNode usage) {
        ObjectNode body = head("chat.completion");
        body.set("choices", choices);
        if (usage != null) {
            body.set("usage", usage);
        }
        return body;
    }

    /** A chunk with one choice (index 0), {@code delta} and {@code finishReason} (null while the answer goes on). */
    public ObjectNode chunk(ObjectNode delta, String finishReason) {
        return chunk(0, delta, null, finishReason);
    }

    /**
     * A chunk with one choice: choice {@code index} of an answer of several ({@code n}), {@code delta}, the delta's
     * {@code logprobs} (null for none) and {@code finishReason} (null while the answer goes on).
     */
    public ObjectNode chunk(int index, ObjectNode delta, ObjectNode logprobs, String finishReason) {
        ObjectNode chunk = head("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        if (logprobs == null) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", logprobs);
        }
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    /** The last chunk of a stream whose client asked for usage ({@code stream_options.include_usage}): no choices. */
    public ObjectNode usageChunk(Usage usage) {
        ObjectNode chunk = head("chat.completion.chunk");
        chunk.putArray("choices");
        chunk.set("usage", usage(usage));
        return chunk;
    }

    private ObjectNode head(String object) {
        ObjectNode node = NODES.objectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", created);
        node.put("model", model);
        return node;
    }

    /** A choice of a {@code chat.completion}; {@code logprobs} is null, as OpenAI sends it when none were asked for. */
    public static ObjectNode choice(int index, ObjectNode message, String finishReason) {
        ObjectNode choice = NODES.objectNode();
        choice.put("index", index);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return choice;
    }

    /**
     * An assistant message. Its {@code content} is null when the model only called tools, as OpenAI sends it.
     *
     * @param reasoning the model's reasoning ({@code reasoning_content}), or null or empty when there is none to show
     * @param toolCalls the tool calls, or null or empty
     */
    public static ObjectNode assistantMessage(String text, String reasoning, ArrayNode toolCalls) {
        boolean calls = toolCalls != null && !toolCalls.isEmpty();
        ObjectNode message = NODES.objectNode();
        message.put("role", "assistant");
        message.put("content", calls && (text == null || text.isEmpty()) ? null : text);
        if (reasoning != null && !reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning);
        }
        if (calls) {
            message.set("tool_calls", toolCalls);
        }
        return message;
    }

    /** OpenAI's {@code usage} object, with the cached prompt tokens and the reasoning tokens. */
    public static ObjectNode usage(Usage usage) {
        return usage(usage, true);
    }

    /** The {@code usage} object of a provider that does not count reasoning tokens apart: no {@code completion_tokens_details}. */
    public static ObjectNode usageWithoutReasoning(Usage usage) {
        return usage(usage, false);
    }

    private static ObjectNode usage(Usage usage, boolean reasoning) {
        ObjectNode u = NODES.objectNode();
        u.put("prompt_tokens", usage.inputTokens());
        u.put("completion_tokens", usage.outputTokens());
        u.put("total_tokens", usage.totalTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        if (reasoning) {
            u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        }
        return u;
    }

    /**
     * A provider's {@code chat.completion} as the gateway answers it: the same fields in the same order, with
     * the gateway's id and model and the usage billed. A new body; the provider's is left as it was.
     */
    public static ObjectNode readdressed(ObjectNode providerBody, String id, String model, Usage billed) {
        ObjectNode body = NODES.objectNode();
        body.setAll(providerBody);
        body.put("id", id);
        body.put("model", model);
        body.set("usage", usage(billed));
        return body;
    }

    /**
     * The completion with every choice's {@code logprobs} null, for a client that did not ask for them (a scorer
     * may have): the same body when no choice has any, else a new one sharing all but the choices.
     */
    public static ObjectNode withoutLogprobs(ObjectNode completion) {
        JsonNode choices = completion.path("choices");
        boolean any = false;
        for (JsonNode choice : choices) {
            any |= choice.hasNonNull("logprobs");
        }
        if (!any) {
            return completion;
        }
        ArrayNode stripped = NODES.arrayNode(choices.size());
        for (JsonNode choice : choices) {
            if (choice instanceof ObjectNode c && c.hasNonNull("logprobs")) {
                ObjectNode copy = NODES.objectNode();
                copy.setAll(c);
                stripped.add(copy.putNull("logprobs"));
            } else {
                stripped.add(choice);
            }
        }
        ObjectNode body = NODES.objectNode();
        body.setAll(completion);
        body.set("choices", stripped);
        return body;
    }
}
