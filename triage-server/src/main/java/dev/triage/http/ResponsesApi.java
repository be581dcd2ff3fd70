package dev.triage.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.LedgerAccessException;
import dev.triage.ledger.ResponseStore;
import dev.triage.ledger.StoredResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}} and
 * {@code GET /v1/responses/{id}/input_items}: the Responses API over the
 * chat completions path. A request is translated ({@link ResponsesRequest}), served by {@link ChatCompletions}
 * exactly as a chat request is (routes, budgets, ledger, headers, response cache), and answered as a Response
 * ({@link ResponsesDialect}). With {@code store} (the default) the answer is kept per tenant for
 * {@code previous_response_id}, until the retention period ends.
 */
final class ResponsesApi {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesApi.class);
    /** Expired responses are swept at most this often, by whichever request comes after. */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    private static final Pattern RESPONSE_ID = Pattern.compile("resp_[a-z2-7]{24}");
    private static final Pattern ITEM_ID = Pattern.compile("(?:msg|fc|rs)_([a-z2-7]{24})(?:_[0-9]{1,4})?");

    private final ChatRequestParser parser;
    private final ChatCompletions chat;
    private final ResponseStore store;
    private final Duration retention;
    private final Clock clock;
    private final ObjectMapper json;
    private final long maxConversationChars;
    private final AtomicLong nextSweep = new AtomicLong();

    /**
     * @param store                where responses are kept, or null when the gateway keeps none (nothing is found then)
     * @param maxConversationChars the longest conversation a request may continue: a stored one and the new body together
     */
    ResponsesApi(ChatRequestParser parser, ChatCompletions chat, ResponseStore store, Duration retention, Clock clock, ObjectMapper json,
                 long maxConversationChars) {
        this.maxConversationChars = maxConversationChars;
        this.parser = parser;
        this.chat = chat;
        this.store = store;
        this.retention = retention;
        this.clock = clock;
        this.json = json;
    }

    void create(Context ctx, String requestId, RequestFacts facts, byte[] body, VirtualKey key, String tenant) throws IOException {
        ResponsesRequest request = ResponsesRequest.read(parser.readObject(body, "a JSON Responses API request"),
                itemId -> storedItem(tenant, itemId));
        ArrayNode history = json.createArrayNode();
        if (request.previousId() != null) {
            StoredResponse previous = find(tenant, request.previousId(), "previous_response_id");
            // A conversation is bounded as a body sent whole is: stored rows, and the requests made of them, cannot grow forever.
            long size = (long) previous.input().length() + previous.response().length() + body.length;
            if (size > maxConversationChars) {
                throw ApiError.badRequest("conversation_too_large", "previous_response_id", "the conversation of '" + request.previousId()
                        + "' with this input is " + size + " characters, over the gateway's limit of " + maxConversationChars
                        + " (server.max_body_bytes); start a new conversation, or send a shortened history with store: false");
            }
            history.addAll((ArrayNode) read(previous.input()));
            history.addAll((ArrayNode) read(previous.response()).path("output"));
        }
        boolean keep = request.store() && store != null;
        ChatRequest translated = parser.check(request.chat(history));
        Instant now = clock.instant();
        ArrayNode conversation = history.deepCopy().addAll(request.input());
        ResponsesDialect reply = new ResponsesDialect(request, requestId, now.getEpochSecond(), response -> {
            if (keep) {
                keep(new StoredResponse(response.get("id").textValue(), tenant, requestId, conversation.toString(), response.toString(),
                        now, now.plus(retention)));
            }
        });
        chat.handle(ctx, requestId, facts, translated, reply, key, tenant);
    }

    void get(Context ctx, String tenant) {
        StoredResponse stored = find(tenant, ctx.pathParam("id"), null);
        ctx.contentType("application/json").result(stored.response());
    }

    /** The items a stored response was generated from, a page at a time ({@link InputItemList}). */
    void inputItems(Context ctx, String tenant) {
        StoredResponse stored = find(tenant, ctx.pathParam("id"), null);
        ctx.contentType("application/json").result(InputItemList.page((ArrayNode) read(stored.input()), ctx.queryParamMap()).toString());
    }

    void delete(Context ctx, String tenant) {
        String id = ctx.pathParam("id");
        if (store == null || !RESPONSE_ID.matcher(id).matches() || !available(() -> store.delete(tenant, id, clock.instant()))) {
            throw notFound(id, null);
        }
        ObjectNode deleted = json.createObjectNode();
        deleted.put("id", id);
        deleted.put("object", "response.deleted");
        deleted.put("deleted", true);
        ctx.contentType("application/json").result(deleted.toString());
    }

    /**
     * An output item of one of the caller's stored responses, by its id: the gateway's item ids carry their
     * response's ({@code msg_X} and {@code fc_X_N} belong to {@code resp_X}), so one read finds it.
     */
    private Optional<JsonNode> storedItem(String tenant, String itemId) {
        Matcher m = ITEM_ID.matcher(itemId);
        if (store == null || !m.matches()) {
            return Optional.empty();
        }
        return available(() -> store.find(tenant, "resp_" + m.group(1), clock.instant())).flatMap(stored -> {
            for (JsonNode item : read(stored.response()).path("output")) {
                if (itemId.equals(item.path("id").asText())) {
                    return Optional.of(item);
                }
            }
            return Optional.empty();
        });
    }

    private StoredResponse find(String tenant, String id, String param) {
        if (store == null || !RESPONSE_ID.matcher(id).matches()) {
            throw notFound(id, param);
        }
        return available(() -> store.find(tenant, id, clock.instant())).orElseThrow(() -> notFound(id, param));
    }

    private static ApiError notFound(String id, String param) {
        // Only an id of the gateway's own form is repeated back: anything else may be any text at all.
        String named = RESPONSE_ID.matcher(id).matches() ? "'" + id + "'" : "(not an id this gateway gives)";
        return ApiError.notFound("response_not_found", param, "No stored response with id " + named
                + " (responses are kept per API key, for the gateway's storage.responses_retention_days, and only with store: true)");
    }

    /** Keeps an answer; the client still gets it when the database is away, and the log says it was not kept. */
    private void keep(StoredResponse response) {
        try {
            store.save(response);
            Instant now = response.createdAt();
            long due = nextSweep.get();
            if (now.toEpochMilli() >= due && nextSweep.compareAndSet(due, now.plus(SWEEP_EVERY).toEpochMilli())) {
                int deleted = store.deleteExpired(now);
                if (deleted > 0) {
                    LOG.debug("deleted {} expired stored responses", deleted);
                }
            }
        } catch (LedgerAccessException e) {
            LOG.warn("response {} was answered but could not be stored: {}", response.id(), e.getMessage());
        }
    }

    private static <T> T available(Supplier<T> read) {
        try {
            return read.get();
        } catch (LedgerAccessException e) {
            throw new ApiError(503, "server_error", "storage_unavailable", null,
                    "stored responses cannot be read right now: the ledger database is unavailable", null);
        }
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
