package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Usage;
import jakarta.servlet.ServletOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code /v1/responses}: a Chat Completions answer as a Response object, and a chat stream as the
 * Responses API's typed events ({@code response.created}, {@code response.in_progress}, then per output
 * item {@code output_item.added}, its parts and deltas, {@code output_item.done}, and finally
 * {@code response.completed}, {@code response.incomplete} or {@code response.failed}), each with an
 * {@code event:} line and a {@code sequence_number}.
 */
final class ResponsesDialect implements Dialect {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResponsesRequest request;
    private final String id;
    private final long createdAt;
    private final Consumer<ObjectNode> completed;

    /**
     * @param requestId the gateway's request id, of which the response's and its items' ids are made
     * @param completed hears every finished response (completed or incomplete) before the client does
     */
    ResponsesDialect(ResponsesRequest request, String requestId, long createdAt, Consumer<ObjectNode> completed) {
        this.request = request;
        this.id = "resp_" + requestId.substring(requestId.indexOf('_') + 1);
        this.createdAt = createdAt;
        this.completed = completed;
    }

    /** The response's id: {@code resp_} and the request id's random part. */
    String id() {
        return id;
    }

    @Override
    public ObjectNode answer(ObjectNode completion, Usage usage) {
        return body(completion);
    }

    /** The Response object for this {@code chat.completion}. */
    ObjectNode body(ObjectNode completion) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode output = NODES.arrayNode();
        String finish = choice.path("finish_reason").asText("stop");
        String itemStatus = "length".equals(finish) ? "incomplete" : "completed";
        JsonNode reasoning = message.path("reasoning_content");
        if (reasoning.isTextual() && !reasoning.textValue().isEmpty()) {
            output.add(reasoningItem(reasoning.textValue()));
        }
        JsonNode content = message.path("content");
        JsonNode refusal = message.path("refusal");
        boolean hasText = content.isTextual() && !content.textValue().isEmpty();
        if (hasText || refusal.isTextual() || !message.path("tool_calls").isArray()) {
            ObjectNode item = messageItem(itemStatus);
            ArrayNode parts = item.putArray("content");
            if (refusal.isTextual()) {
                parts.addObject().put("type", "refusal").put("refusal", refusal.textValue());
            } else {
                parts.add(textPart(content.asText("")));
            }
            output.add(item);
        }
        int call = 0;
        for (JsonNode tc : message.path("tool_calls")) {
            output.add(functionCall(call++, tc.path("id").asText(), tc.path("function").path("name").asText(),
                    tc.path("function").path("arguments").asText(""), "completed"));
        }
        ObjectNode response = response(completion.path("model").asText(), statusOf(finish), output, completion.path("usage"), finish);
        completed.accept(response);
        return response;
    }

    private static String statusOf(String finishReason) {
        return "length".equals(finishReason) || "content_filter".equals(finishReason) ? "incomplete" : "completed";
    }

    private ObjectNode messageItem(String status) {
        ObjectNode item = NODES.objectNode();
        item.put("id", "msg_" + id.substring(5));
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        return item;
    }

    /** The model's reasoning, as the Responses API shows it: a summary of one {@code summary_text} part. */
    private ObjectNode reasoningItem(String text) {
        ObjectNode item = NODES.objectNode();
        item.put("id", "rs_" + id.substring(5));
        item.put("type", "reasoning");
        item.putArray("summary").add(summaryPart(text));
        return item;
    }

    private static ObjectNode summaryPart(String text) {
        return NODES.objectNode().put("type", "summary_text").put("text", text);
    }

    private static ObjectNode textPart(String text) {
        ObjectNode part = NODES.objectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    private ObjectNode functionCall(int index, String callId, String name, String arguments, String status) {
        ObjectNode item = NODES.objectNode();
        item.put("id", "fc_" + id.substring(5) + "_" + index);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        return item;
    }

    /**
     * The Response object, with the request's settings echoed as OpenAI does.
     *
     * @param usage  Chat Completions usage, or a missing node for none yet
     * @param finish the chat finish reason, or null while in progress
     */
    private ObjectNode response(String model, String status, ArrayNode output, JsonNode usage, String finish) {
        ObjectNode body = request.body();
        ObjectNode r = NODES.objectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.putNull("error");
        if ("incomplete".equals(status)) {
            r.putObject("incomplete_details").put("reason", "length".equals(finish) ? "max_output_tokens" : "content_filter");
        } else {
            r.putNull("incomplete_details");
        }
        r.put("instructions", request.instructions());
        echo(r, body, "max_output_tokens");
        r.put("model", model);
        r.set("output", output);
        r.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
        r.put("previous_response_id", request.previousId());
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", body.path("reasoning").path("effort").isTextual() ? body.path("reasoning").get("effort") : NODES.nullNode());
        reasoning.putNull("summary");
        r.put("store", request.store());
        echo(r, body, "temperature");
        ObjectNode text = r.putObject("text");
        JsonNode format = body.path("text").path("format");
        text.set("format", format.isObject() ? format : NODES.objectNode().put("type", "text"));
        r.set("tool_choice", body.hasNonNull("tool_choice") ? body.get("tool_choice") : NODES.textNode("auto"));
        r.set("tools", body.hasNonNull("tools") ? body.get("tools") : NODES.arrayNode());
        echo(r, body, "top_p");
        r.put("truncation", body.path("truncation").asText("disabled"));
        if (usage.isObject()) {
            r.set("usage", usage(usage));
        } else {
            r.putNull("usage");
        }
        echo(r, body, "user");
        r.set("metadata", body.hasNonNull("metadata") ? body.get("metadata") : NODES.objectNode());
        return r;
    }

    private static void echo(ObjectNode to, ObjectNode from, String field) {
        to.set(field, from.hasNonNull(field) ? from.get(field) : NODES.nullNode());
    }

    /** Chat Completions usage in the Responses API's names. */
    private static ObjectNode usage(JsonNode chat) {
        ObjectNode u = NODES.objectNode();
        u.put("input_tokens", chat.path("prompt_tokens").asLong());
        u.putObject("input_tokens_details").put("cached_tokens", chat.path("prompt_tokens_details").path("cached_tokens").asLong());
        u.put("output_tokens", chat.path("completion_tokens").asLong());
        u.putObject("output_tokens_details").put("reasoning_tokens",
                chat.path("completion_tokens_details").path("reasoning_tokens").asLong());
        u.put("total_tokens", chat.path("total_tokens").asLong());
        return u;
    }

    @Override
    public Stream open(ServletOutputStream out, String requestId, String model) {
        return new Events(new SseStream(out, JSON));
    }

    /** One streamed response: chat chunks in, Responses events out. */
    private final class Events implements Stream {

        private final SseStream sse;
        private final ArrayNode output = NODES.arrayNode();
        /** The function calls begun, by the chat stream's tool call index. */
        private final List<ObjectNode> calls = new ArrayList<>();
        private final List<Integer> callIndexes = new ArrayList<>();
        private int sequence;
        private String model;
        private ObjectNode message;
        private StringBuilder text;
        /** The reasoning being streamed, or null. */
        private StringBuilder thinking;
        private String reasoningId;
        private int reasoningsBegun;
        private int messagesBegun;
        private String finish;

        Events(SseStream sse) {
            this.sse = sse;
        }

        /**
         * The id of an item of {@code kind} that begins at the next output index: the response's own ({@code msg_X})
         * for the first of its kind, with that index after it for any later one ({@code msg_X_2}), so items stay
         * distinct and {@code item_reference} still finds them.
         */
        private String itemId(String kind, int begunBefore) {
            return kind + id.substring(5) + (begunBefore == 0 ? "" : "_" + output.size());
        }

        private void emit(String type, ObjectNode event) {
            ObjectNode e = NODES.objectNode();
            e.put("type", type);
            e.put("sequence_number", sequence++);
            e.setAll(event);
            sse.send(type, e);
        }

        private void begin(String model) {
            if (this.model != null) {
                return;
            }
            this.model = model;
            ObjectNode r = response(model, "in_progress", NODES.arrayNode(), NODES.missingNode(), null);
            emit("response.created", NODES.objectNode().set("response", r));
            emit("response.in_progress", NODES.objectNode().set("response", r));
        }

        @Override
        public void chunk(ObjectNode chunk) {
            begin(chunk.path("model").asText());
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            JsonNode reasoning = delta.path("reasoning_content");
            if (reasoning.isTextual() && !reasoning.textValue().isEmpty()) {
                reasoning(reasoning.textValue());
            }
            JsonNode content = delta.path("content");
            if (content.isTextual() && !content.textValue().isEmpty()) {
                text(content.textValue());
            }
            for (JsonNode tc : delta.path("tool_calls")) {
                call(tc);
            }
            if (choice.path("finish_reason").isTextual()) {
                finish = choice.get("finish_reason").textValue();
            }
        }

        private void reasoning(String delta) {
            closeMessage("completed");
            if (thinking == null) {
                closeCalls();
                thinking = new StringBuilder();
                reasoningId = itemId("rs_", reasoningsBegun++);
                ObjectNode item = reasoningItem("").put("id", reasoningId);
                item.putArray("summary");
                emit("response.output_item.added", at(output.size()).set("item", item));
                emit("response.reasoning_summary_part.added", summary(output.size()).set("part", summaryPart("")));
            }
            thinking.append(delta);
            emit("response.reasoning_summary_text.delta", summary(output.size()).put("delta", delta));
        }

        private ObjectNode summary(int index) {
            ObjectNode e = NODES.objectNode();
            e.put("item_id", reasoningId);
            e.put("output_index", index);
            e.put("summary_index", 0);
            return e;
        }

        private void closeReasoning() {
            if (thinking == null) {
                return;
            }
            int index = output.size();
            String all = thinking.toString();
            emit("response.reasoning_summary_text.done", summary(index).put("text", all));
            emit("response.reasoning_summary_part.done", summary(index).set("part", summaryPart(all)));
            ObjectNode item = reasoningItem(all).put("id", reasoningId);
            emit("response.output_item.done", at(index).set("item", item));
            output.add(item);
            thinking = null;
        }

        private void text(String delta) {
            closeReasoning();
            if (message == null) {
                closeCalls();
                message = messageItem("in_progress").put("id", itemId("msg_", messagesBegun++));
                message.putArray("content");
                text = new StringBuilder();
                emit("response.output_item.added", at(output.size()).set("item", message.deepCopy()));
                emit("response.content_part.added", part(output.size()).set("part", textPart("")));
            }
            text.append(delta);
            emit("response.output_text.delta", part(output.size()).put("delta", delta).set("logprobs", NODES.arrayNode()));
        }

        /** The next event's {@code output_index} and {@code item_id} for the message being written. */
        private ObjectNode part(int index) {
            ObjectNode e = NODES.objectNode();
            e.put("item_id", message.get("id").textValue());
            e.put("output_index", index);
            e.put("content_index", 0);
            return e;
        }

        private ObjectNode at(int index) {
            return NODES.objectNode().put("output_index", index);
        }

        private void closeMessage(String status) {
            if (message == null) {
                return;
            }
            int index = output.size();
            String all = text.toString();
            emit("response.output_text.done", part(index).put("text", all).set("logprobs", NODES.arrayNode()));
            emit("response.content_part.done", part(index).set("part", textPart(all)));
            message.put("status", status);
            ((ArrayNode) message.get("content")).add(textPart(all));
            emit("response.output_item.done", at(index).set("item", message));
            output.add(message);
            message = null;
        }

        private void call(JsonNode tc) {
            int index = tc.path("index").asInt(calls.size());
            int at = callIndexes.indexOf(index);
            if (at < 0) {
                closeReasoning();
                closeMessage("completed");
                ObjectNode item = functionCall(output.size() + calls.size(), tc.path("id").asText(),
                        tc.path("function").path("name").asText(), "", "in_progress");
                calls.add(item);
                callIndexes.add(index);
                at = calls.size() - 1;
                emit("response.output_item.added", at(output.size() + at).set("item", item.deepCopy()));
            }
            JsonNode args = tc.path("function").path("arguments");
            if (args.isTextual() && !args.textValue().isEmpty()) {
                ObjectNode item = calls.get(at);
                item.put("arguments", item.get("arguments").textValue() + args.textValue());
                emit("response.function_call_arguments.delta", at(output.size() + at)
                        .put("item_id", item.get("id").textValue()).put("delta", args.textValue()));
            }
        }

        /**
         * Finishes the function calls begun, in the order they began. A stream's items come one after another (a
         * reasoning, a message, calls, maybe more text), so a new reasoning or message item starts after them: its
         * {@code output_index} then follows theirs, as the response's {@code output} does.
         */
        private void closeCalls() {
            for (ObjectNode item : calls) {
                int index = output.size();
                emit("response.function_call_arguments.done", at(index).put("item_id", item.get("id").textValue())
                        .put("name", item.get("name").textValue()).put("arguments", item.get("arguments").textValue()));
                item.put("status", "completed");
                emit("response.output_item.done", at(index).set("item", item));
                output.add(item);
            }
            calls.clear();
            callIndexes.clear();
        }

        @Override
        public void end(ObjectNode usageChunk, Usage usage, boolean includeUsage) {
            begin(usageChunk.path("model").asText());
            String status = statusOf(finish);
            closeReasoning();
            closeMessage("incomplete".equals(status) ? "incomplete" : "completed");
            closeCalls();
            ObjectNode r = response(model, status, output, usageChunk.path("usage"), finish);
            completed.accept(r);
            emit("incomplete".equals(status) ? "response.incomplete" : "response.completed", NODES.objectNode().set("response", r));
        }

        @Override
        public void failed(int status, String code, String message) {
            begin(model == null ? request.body().path("model").asText() : model);
            ObjectNode r = response(model, "failed", output, NODES.missingNode(), null);
            ObjectNode e = r.putObject("error");
            e.put("code", code);
            e.put("message", message);
            emit("response.failed", NODES.objectNode().set("response", r));
        }
    }
}
