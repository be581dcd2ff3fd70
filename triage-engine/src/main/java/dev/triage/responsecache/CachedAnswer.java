package dev.triage.responsecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.tokens.BillableTokens;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * An answer kept for requests that ask the same again.
 *
 * @param completion the {@code chat.completion} the client got (a streamed answer put together from its chunks), with
 *                   the usage of the answering call; no request text, headers or keys
 * @param model      Triage's id of the model that answered
 * @param cost       what the request that produced it cost, every attempt summed: what a hit saves
 * @param requestId  the request that produced it
 * @param created    when it was stored
 */
public record CachedAnswer(ObjectNode completion, String model, Money cost, String requestId, Instant created) {

    public CachedAnswer {
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(created, "created");
    }

    /** The completion's size as JSON text, in bytes, counted without keeping the text: what the store's bounds weigh. */
    public long jsonBytes() {
        return BillableTokens.jsonBytes(completion);
    }

    /** The answer as one JSON text, for a shared store. */
    public String encode(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("model", model);
        n.put("cost_picousd", cost.picos());
        n.put("request_id", requestId);
        n.put("created_ms", created.toEpochMilli());
        n.set("completion", completion);
        try {
            return json.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * The answer {@link #encode} wrote.
     *
     * @throws IllegalArgumentException when the text is not one (a store shared with something else, or damaged)
     */
    public static CachedAnswer decode(ObjectMapper json, String text) {
        try {
            JsonNode n = json.readTree(text);
            JsonNode completion = n.path("completion");
            if (!completion.isObject() || !n.path("model").isTextual() || !n.path("cost_picousd").canConvertToLong()
                    || !n.path("request_id").isTextual() || !n.path("created_ms").canConvertToLong()) {
                throw new IllegalArgumentException("not a cached answer");
            }
            return new CachedAnswer((ObjectNode) completion, n.get("model").textValue(), new Money(n.get("cost_picousd").longValue()),
                    n.get("request_id").textValue(), Instant.ofEpochMilli(n.get("created_ms").longValue()));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a cached answer: " + e.getMessage(), e);
        }
    }
}
