package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} is behind {@code server.api_keys} like {@code /v1}, and carries no secret, prompt or user. */
class MetricsAuthGatewayTest {

    private static final String KEY = "team-key-0123456789";

    private final GatewayHarness gw = new GatewayHarness(", api_keys: [" + KEY + "]", null, "");

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void metricsNeedAGatewayKeyWhenKeysAreConfigured() {
        HttpResponse<String> r = gw.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(gw.get("/metrics", "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void noKeyPromptOrUserAppearsInTheScrape() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String body = "{\"model\":\"fast\",\"user\":\"alice@example.com\",\"messages\":[{\"role\":\"user\",\"content\":\"the vault code is 8812\"}]}";
        assertThat(gw.post("/v1/chat/completions", body, "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", body, "Authorization", "Bearer wrong-key-42").statusCode()).isEqualTo(401);

        String scrape = gw.get("/metrics", "Authorization", "Bearer " + KEY).body();
        assertThat(scrape).contains("triage_requests_total{error_type=\"invalid_api_key\",model=\"\",policy=\"\",route=\"\",status_class=\"4xx\"} 1.0");
        assertThat(scrape).contains("triage_cost_usd_total{model=\"fast\",route=\"fast\"} 2.7E-5");
        assertThat(scrape).doesNotContain(KEY, "wrong-key-42", "sk-test-primary", "sk-test-backup", "alice", "vault", "8812");
    }
}
