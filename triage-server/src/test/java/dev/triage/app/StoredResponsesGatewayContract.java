package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stored responses at the gateway, on every ledger database: kept per caller (another key's id is a 404, with no
 * upstream call), continued with {@code previous_response_id}, and gone after {@code storage.responses_retention_days}.
 */
abstract class StoredResponsesGatewayContract {

    static final String KEY_A = "team-key-0123456789";
    static final String KEY_B = "other-key-9876543210";

    final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
    private GatewayHarness gw;

    /** The ledger URL of a fresh database. */
    abstract String ledgerUrl() throws SQLException;

    /** Rows in {@code stored_responses}, read beside the gateway. */
    abstract long storedRows(GatewayHarness gw) throws SQLException;

    void dropDatabase() throws SQLException {
    }

    GatewayHarness gateway() throws SQLException {
        if (gw == null) {
            gw = new GatewayHarness(", max_body_bytes: 4000, api_keys: [" + KEY_A + ", " + KEY_B + "]", ", responses_retention_days: 2",
                    ledgerUrl(), "", clock);
        }
        return gw;
    }

    @AfterEach
    void stop() throws SQLException {
        try {
            if (gw != null) {
                gw.close();
            }
        } finally {
            dropDatabase();
        }
    }

    private HttpResponse<String> create(String key, String body) throws SQLException {
        return gateway().post("/v1/responses", body, "authorization", "Bearer " + key);
    }

    private HttpResponse<String> call(String method, String key, String id) throws SQLException {
        return gateway().send(HttpRequest.newBuilder(gateway().uri("/v1/responses/" + id)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("authorization", "Bearer " + key).build());
    }

    @Test
    void anotherKeyCannotReadContinueOrDeleteAResponse() throws Exception {
        gateway().primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> made = create(KEY_A, "{\"model\":\"fast\",\"input\":\"Say hello\"}");
        assertThat(made.statusCode()).isEqualTo(200);
        String id = json(made.body()).get("id").asText();
        assertThat(storedRows(gw)).isEqualTo(1);

        HttpResponse<String> foreign = call("GET", KEY_B, id);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(json(foreign.body()).path("error").path("code").asText()).isEqualTo("response_not_found");
        HttpResponse<String> continued = create(KEY_B, "{\"model\":\"fast\",\"input\":\"More\",\"previous_response_id\":\"" + id + "\"}");
        assertThat(continued.statusCode()).isEqualTo(404);
        assertThat(json(continued.body()).path("error").path("param").asText()).isEqualTo("previous_response_id");
        assertThat(call("DELETE", KEY_B, id).statusCode()).isEqualTo(404);
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);

        HttpResponse<String> own = call("GET", KEY_A, id);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json(own.body())).isEqualTo(json(made.body()));
        HttpResponse<String> deleted = call("DELETE", KEY_A, id);
        assertThat(json(deleted.body())).isEqualTo(json("{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}"));
        assertThat(call("GET", KEY_A, id).statusCode()).isEqualTo(404);
        assertThat(storedRows(gw)).isZero();
    }

    @Test
    void aStoredConversationGrowsTurnByTurn() throws Exception {
        gateway().primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String first = json(create(KEY_A, "{\"model\":\"fast\",\"input\":\"Say hello\"}").body()).get("id").asText();
        gw.primary.takeRequest();
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String second = json(create(KEY_A, "{\"model\":\"fast\",\"input\":\"Again\",\"previous_response_id\":\"" + first + "\"}")
                .body()).get("id").asText();
        gw.primary.takeRequest();
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        assertThat(create(KEY_A, "{\"model\":\"fast\",\"input\":\"Once more\",\"previous_response_id\":\"" + second + "\"}")
                .statusCode()).isEqualTo(200);

        JsonNode messages = json(gw.primary.takeRequest().getBody().utf8()).get("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant", "user");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Hello there!");
        assertThat(messages.get(4).toString()).contains("Once more");
    }

    @Test
    void aConversationCannotGrowPastTheBodyLimit() throws Exception {
        String long2500 = "x".repeat(2500);
        gateway().primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String id = json(create(KEY_A, "{\"model\":\"fast\",\"input\":\"" + long2500 + "\"}").body()).get("id").asText();

        HttpResponse<String> more = create(KEY_A, "{\"model\":\"fast\",\"input\":\"" + long2500 + "\",\"previous_response_id\":\"" + id + "\"}");
        assertThat(more.statusCode()).isEqualTo(400);
        assertThat(json(more.body()).path("error").path("code").asText()).isEqualTo("conversation_too_large");
        assertThat(json(more.body()).path("error").path("message").asText()).contains("4000");
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aResponseIsGoneAfterTheRetentionPeriodAndSweptByALaterOne() throws Exception {
        gateway().primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String id = json(create(KEY_A, "{\"model\":\"fast\",\"input\":\"Say hello\"}").body()).get("id").asText();
        clock.advance(Duration.ofDays(2).minusSeconds(1));
        assertThat(call("GET", KEY_A, id).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        assertThat(call("GET", KEY_A, id).statusCode()).isEqualTo(404);
        assertThat(storedRows(gw)).isEqualTo(1);
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        create(KEY_A, "{\"model\":\"fast\",\"input\":\"Say hello\"}");
        assertThat(storedRows(gw)).isEqualTo(1); // the new one; the expired one is deleted
        assertThat(call("GET", KEY_A, id).statusCode()).isEqualTo(404);
    }
}
