package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/feedback}: status codes, OpenAI's error shape, and that bad input stores nothing. */
class FeedbackApiGatewayTest {

    private final GatewayHarness gw = new GatewayHarness(", api_keys: [team-key-0123456789]", null, "");
    private static final String[] KEY = {"Authorization", "Bearer team-key-0123456789"};

    @AfterEach
    void stop() {
        gw.close();
    }

    String served() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false), KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("x-triage-request-id").orElseThrow();
    }

    HttpResponse<String> send(String body) {
        return gw.post("/v1/feedback", body, KEY);
    }

    long stored() {
        JsonNode report = json(gw.get("/api/report", KEY).body());
        return report.at("/quality/overall/count").asLong();
    }

    void assertError(HttpResponse<String> r, int status, String code, String param) {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode error = json(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).isNotBlank();
        if (param == null) {
            assertThat(error.get("param").isNull()).isTrue();
        } else {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    @Test
    void feedbackOnAServedRequestIs200AndEveryRatingCounts() {
        String id = served();

        HttpResponse<String> r = send("{\"request_id\":\"" + id + "\",\"score\":0.75,\"comment\":\"right answer, too long\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ok\":true}");
        assertThat(send("{\"request_id\":\"" + id + "\",\"score\":0}").statusCode()).isEqualTo(200);
        assertThat(send("{\"request_id\":\"" + id + "\",\"score\":1,\"comment\":null}").statusCode()).isEqualTo(200);

        JsonNode quality = json(gw.get("/api/report", KEY).body()).at("/quality/overall");
        assertThat(quality.get("mean").decimalValue()).isEqualByComparingTo("0.5833");
        assertThat(quality.get("count").asLong()).isEqualTo(3);
    }

    @Test
    void anUnknownRequestIdIs404() {
        served();
        assertError(send("{\"request_id\":\"req_doesnotexist000000000000\",\"score\":0.5}"), 404, "request_not_found", "request_id");
        assertThat(stored()).isZero();
    }

    @Test
    void badScoresAndTypesAre400AndStoreNothing() {
        String id = served();
        String req = "{\"request_id\":\"" + id + "\",";
        assertError(send(req + "\"score\":1.5}"), 400, "invalid_request", "score");
        assertError(send(req + "\"score\":-0.1}"), 400, "invalid_request", "score");
        assertError(send(req + "\"score\":\"0.5\"}"), 400, "invalid_request", "score");
        assertError(send(req + "\"score\":true}"), 400, "invalid_request", "score");
        assertError(send(req + "\"comment\":\"no score\"}"), 400, "invalid_request", "score");
        assertError(send(req + "\"score\":0.5,\"comment\":42}"), 400, "invalid_request", "comment");
        assertError(send(req + "\"score\":0.5,\"comment\":\"" + "x".repeat(2001) + "\"}"), 400, "invalid_request", "comment");
        assertError(send(req + "\"score\":0.5,\"rating\":5}"), 400, "invalid_request", "rating");
        assertError(send("{\"request_id\":7,\"score\":0.5}"), 400, "invalid_request", "request_id");
        // PostgreSQL refuses a NUL as a query parameter: it must be the client's 400, not a ledger outage.
        assertError(send("{\"request_id\":\"" + id + "\\u0000\",\"score\":0.5}"), 400, "invalid_request", "request_id");
        assertError(send("{\"score\":0.5}"), 400, "invalid_request", "request_id");
        assertError(send("[1,2]"), 400, "invalid_request", null);
        assertError(send("{\"request_id\":"), 400, "invalid_request", null);
        assertThat(stored()).isZero();
    }

    @Test
    void feedbackAndReportsNeedAGatewayKeyWhenKeysAreSet() {
        String id = served();
        HttpResponse<String> noKey = gw.post("/v1/feedback", "{\"request_id\":\"" + id + "\",\"score\":0.5}");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json(noKey.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(gw.get("/api/report").statusCode()).isEqualTo(401);
        assertThat(gw.get("/api/report", "Authorization", "Bearer wrong-key-000000").statusCode()).isEqualTo(401);
        assertThat(stored()).isZero();
    }
}
