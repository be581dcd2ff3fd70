package dev.triage.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A {@code /v1/responses} answer kept for {@code previous_response_id} and {@code GET /v1/responses/{id}}.
 *
 * @param id        the response's id ({@code resp_…})
 * @param tenant    who may read it: the virtual key, the gateway key (by hash) or the open gateway
 * @param requestId the gateway request that produced it
 * @param input     the conversation's items up to and including this request's input, as a JSON array
 *                  (each row holds its whole conversation, so a continuation reads one row)
 * @param response  the Response object the client got, as JSON
 * @param createdAt when it was made
 * @param expiresAt when it is no longer served, and may be deleted
 */
public record StoredResponse(String id, String tenant, String requestId, String input, String response, Instant createdAt,
                             Instant expiresAt) {

    public StoredResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
