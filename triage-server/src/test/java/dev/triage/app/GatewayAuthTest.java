package dev.triage.app;

import static dev.triage.app.GatewayHarness.chat;
import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayAuthTest {

    private final GatewayHarness gw = new GatewayHarness(", api_keys: [team-key-0123456789, other-key-9876543210]", null, "");

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void requestsWithoutAKeyAreRefusedBeforeAnythingElse() {
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(json(r.body()).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(gw.primary.getRequestCount()).isZero();
        assertThat(gw.app.ledger().count()).isZero();
    }

    @Test
    void aWrongKeyIsRefusedAndNotEchoed() {
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false), "Authorization", "Bearer sk-guess-abcdefghijkl");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("sk-guess");
        assertThat(gw.get("/v1/models", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
    }

    @Test
    void anyConfiguredKeyIsAccepted() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        assertThat(gw.post("/v1/chat/completions", chat("fast", false), "Authorization", "Bearer other-key-9876543210").statusCode())
                .isEqualTo(200);
        assertThat(gw.get("/v1/models", "Authorization", "Bearer team-key-0123456789").statusCode()).isEqualTo(200);
    }

    @Test
    void healthChecksNeedNoKey() {
        assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
    }
}
