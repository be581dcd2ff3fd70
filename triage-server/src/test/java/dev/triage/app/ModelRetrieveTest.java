package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.models.Model;
import dev.triage.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models/{id}}: what {@code client.models.retrieve} asks, answered in OpenAI's shape. */
class ModelRetrieveTest {

    private final Path dir = temporaryDirectory();
    // No call reaches the upstream here: the provider only has to exist for its models to be listed.
    private final TriageApp app = TriageApp.start(ConfigLoader.parse("""
            server: {host: 127.0.0.1, port: 0}
            storage: {ledger: "sqlite:%s/ledger.db", spool_dir: "%s/spool"}
            providers:
              primary: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: "sk-test-primary-0123456789abcdef"}
            models:
              fast:   {provider: primary, upstream_model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2}
              steady: {provider: primary, upstream_model: gpt-4.1, input_per_mtok: 3, output_per_mtok: 4}
              meta-llama/llama-3.1-8b: {provider: primary, input_per_mtok: 0.1, output_per_mtok: 0.1}
            routes:
              auto: {policy: cascade, stages: [{model: fast, accept_confidence: 0.9}, {model: steady}]}
            """.formatted(dir, dir), "test.yaml", Map.of()));
    private final HttpClient http = HttpClient.newHttpClient();

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("triage-models");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + app.port() + "/v1").apiKey(key).maxRetries(0).build();
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void sdkRetrievesAModelWithItsProvider() {
        OpenAIClient sdk = sdk("unused-by-an-open-gateway");
        try {
            Model fast = sdk.models().retrieve("fast");
            assertThat(fast.id()).isEqualTo("fast");
            assertThat(fast.ownedBy()).isEqualTo("primary");
            assertThat(fast.created()).isZero();
        } finally {
            sdk.close();
        }
        assertThat(GatewayHarness.json(get("/v1/models/fast").body())).isEqualTo(GatewayHarness.json("""
                {"id":"fast","object":"model","created":0,"owned_by":"primary"}"""));
    }

    @Test
    void aRouteIsRetrievableAsTheListShowsIt() {
        OpenAIClient sdk = sdk("unused-by-an-open-gateway");
        try {
            Model auto = sdk.models().retrieve("auto");
            assertThat(auto.id()).isEqualTo("auto");
            assertThat(auto.ownedBy()).isEqualTo("triage");
        } finally {
            sdk.close();
        }
        JsonNode listed = null;
        for (JsonNode e : GatewayHarness.json(get("/v1/models").body()).get("data")) {
            if (e.get("id").asText().equals("auto")) {
                listed = e;
            }
        }
        assertThat(GatewayHarness.json(get("/v1/models/auto").body())).isEqualTo(listed);
    }

    @Test
    void anIdWithASlashIsRetrievable() {
        HttpResponse<String> r = get("/v1/models/meta-llama/llama-3.1-8b");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = GatewayHarness.json(r.body());
        assertThat(body.get("id").asText()).isEqualTo("meta-llama/llama-3.1-8b");
        assertThat(body.get("object").asText()).isEqualTo("model");
        assertThat(body.get("owned_by").asText()).isEqualTo("primary");
        OpenAIClient sdk = sdk("unused-by-an-open-gateway");
        try {
            assertThat(sdk.models().retrieve("meta-llama/llama-3.1-8b").id()).isEqualTo("meta-llama/llama-3.1-8b");
        } finally {
            sdk.close();
        }
    }

    @Test
    void anUnknownIdIs404InOpenAisShape() {
        HttpResponse<String> r = get("/v1/models/gpt-9-ultra");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = GatewayHarness.json(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("gpt-9-ultra");
        OpenAIClient sdk = sdk("unused-by-an-open-gateway");
        try {
            assertThatThrownBy(() -> sdk.models().retrieve("gpt-9-ultra")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("gpt-9-ultra");
        } finally {
            sdk.close();
        }
    }

    @Test
    void aModelTheCatalogKnowsButNoProviderServesIsNotFound() {
        // The built-in catalog prices Claude, but this gateway has no Anthropic provider: /v1/models leaves it out.
        assertThat(get("/v1/models").body()).doesNotContain("\"claude-3.5-sonnet\"");
        assertThat(get("/v1/models/claude-3.5-sonnet").statusCode()).isEqualTo(404);
    }
}
