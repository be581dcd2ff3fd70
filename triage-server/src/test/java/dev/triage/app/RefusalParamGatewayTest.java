package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** A request an adapter refuses before sending it gets 400 naming the field at fault in OpenAI's {@code param}. */
class RefusalParamGatewayTest {

    private final Path dir = temporaryDirectory();
    // The Anthropic upstream is never reached: the adapter refuses n > 1 and logprobs before any call.
    private final TriageApp app = TriageApp.start(ConfigLoader.parse("""
            server: {host: 127.0.0.1, port: 0}
            storage: {ledger: "sqlite:%s/ledger.db", spool_dir: "%s/spool"}
            providers:
              anthropic: {kind: anthropic, base_url: "http://127.0.0.1:9", api_key: "sk-ant-test-0123456789abcdef"}
            models:
              sonnet: {provider: anthropic, upstream_model: claude-sonnet-4-5, input_per_mtok: 3, output_per_mtok: 15}
            """.formatted(dir, dir), "test.yaml", Map.of()));
    private final HttpClient http = HttpClient.newHttpClient();

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("triage-refusal");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void severalChoicesOnAnthropicNameParamN() {
        JsonNode error = refusedWith400("""
                {"model":"sonnet","n":2,"messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(error.get("param").asText()).isEqualTo("n");
        assertThat(error.get("message").asText()).contains("n > 1");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void logprobsOnAnthropicNameParamLogprobs() {
        JsonNode error = refusedWith400("""
                {"model":"sonnet","logprobs":true,"messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(error.get("param").asText()).isEqualTo("logprobs");
        assertThat(error.get("message").asText()).contains("logprobs");
    }

    @Test
    void theFieldAnOpenAiUpstreamBlamesReachesTheClient() {
        try (GatewayHarness gw = new GatewayHarness()) {
            gw.primary.enqueue(dev.triage.provider.openai.OpenAiWire.json(400, """
                    {"error":{"message":"Invalid value for 'top_logprobs': must be between 0 and 20.",\
                    "type":"invalid_request_error","param":"top_logprobs","code":"invalid_value"}}"""));

            HttpResponse<String> r = gw.post("/v1/chat/completions", """
                    {"model":"fast","top_logprobs":20,"logprobs":true,"messages":[{"role":"user","content":"Hi"}]}""");

            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode error = GatewayHarness.json(r.body()).get("error");
            assertThat(error.get("param").asText()).isEqualTo("top_logprobs");
            assertThat(error.get("message").asText()).contains("must be between 0 and 20");
            assertThat(gw.backup.getRequestCount()).isZero(); // a bad request is not retried elsewhere
        }
    }

    private JsonNode refusedWith400(String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            return GatewayHarness.json(r.body()).get("error");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
