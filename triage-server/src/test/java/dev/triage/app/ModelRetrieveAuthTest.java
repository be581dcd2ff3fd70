package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models/{id}} asks for the same key as {@code GET /v1/models}. */
class ModelRetrieveAuthTest {

    private final GatewayHarness gw = new GatewayHarness(", api_keys: [team-key-0123456789]", null, "");

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void retrieveNeedsAGatewayKeyLikeTheList() {
        HttpResponse<String> missing = gw.get("/v1/models/fast");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(GatewayHarness.json(missing.body()).get("error").get("code").asText()).isEqualTo("invalid_api_key");
        assertThat(gw.get("/v1/models/fast", "Authorization", "Bearer wrong-key-000000").statusCode()).isEqualTo(401);
        // An unknown id still answers 401 first: without a key nobody learns which ids exist.
        assertThat(gw.get("/v1/models/nope", "Authorization", "Bearer wrong-key-000000").statusCode()).isEqualTo(401);
        assertThat(gw.get("/v1/models/fast", "Authorization", "Bearer team-key-0123456789").statusCode()).isEqualTo(200);
    }
}
