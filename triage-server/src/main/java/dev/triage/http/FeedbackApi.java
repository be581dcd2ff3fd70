package dev.triage.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.feedback.Feedback;
import dev.triage.feedback.FeedbackStore;
import dev.triage.ledger.LedgerAccessException;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Set;

/**
 * {@code POST /v1/feedback {"request_id", "score": 0..1, "comment"?}}: a quality signal against a
 * request the gateway served. A request may be rated any number of times; reports average them all.
 */
final class FeedbackApi {

    /** Room for a comment of {@link Feedback#MAX_COMMENT_CHARS} characters, each escaped as {@code \\uXXXX}. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_REQUEST_ID = 200;
    private static final Set<String> FIELDS = Set.of("request_id", "score", "comment");
    // Scores are read as decimals, so 0.7 is stored as 0.700000 and not as the double nearest to it.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final FeedbackStore store;
    private final Clock clock;
    private final LedgerOutage outage;

    FeedbackApi(FeedbackStore store, Clock clock, LedgerOutage outage) {
        this.store = store;
        this.clock = clock;
        this.outage = outage;
    }

    /** @param bytes the request body, read by the caller under the body budget */
    void handle(Context ctx, byte[] bytes, String requestId) {
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest(null, "The body could not be read");
        }
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest(null, "The body must be a JSON object: {\"request_id\": \"req_...\", \"score\": 0.8, \"comment\": \"...\"}");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.badRequest(name, "Unknown field '" + name + "'; feedback takes request_id, score and comment");
            }
        }
        JsonNode id = body.get("request_id");
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_REQUEST_ID) {
            throw ApiError.badRequest("request_id", "request_id must be the x-triage-request-id of a request (a non-empty string)");
        }
        // It becomes a query parameter: PostgreSQL refuses a NUL there, which would read as the ledger being down.
        ClientText.check("request_id", id.asText(), MAX_REQUEST_ID);
        JsonNode score = body.get("score");
        if (score == null || !score.isNumber()) {
            throw ApiError.badRequest("score", "score must be a number from 0 to 1");
        }
        BigDecimal value = score.decimalValue();
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw ApiError.badRequest("score", "score must be from 0 to 1, not " + value.toPlainString());
        }
        JsonNode comment = body.get("comment");
        if (comment != null && !comment.isNull() && !comment.isTextual()) {
            throw ApiError.badRequest("comment", "comment must be a string");
        }
        String text = comment == null || comment.isNull() ? null : comment.asText();
        if (text != null && text.length() > Feedback.MAX_COMMENT_CHARS) {
            throw ApiError.badRequest("comment", "comment is longer than " + Feedback.MAX_COMMENT_CHARS + " characters");
        }
        boolean stored;
        try {
            stored = store.record(new Feedback(id.asText(), value, text, clock.instant()));
        } catch (LedgerAccessException e) {
            throw outage.failed(e, requestId);
        }
        outage.succeeded();
        if (!stored) {
            throw ApiError.notFound("request_not_found", "request_id", "No request with id '" + id.asText()
                    + "' is in the ledger; use the x-triage-request-id header of a response");
        }
        ctx.contentType("application/json").result("{\"ok\":true}");
    }
}
