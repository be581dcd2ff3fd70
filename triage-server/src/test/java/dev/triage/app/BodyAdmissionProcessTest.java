package dev.triage.app;

import static dev.triage.app.GatewayYaml.fastFrom;
import static dev.triage.app.GatewayYaml.server;
import static dev.triage.app.GatewayYaml.sqliteStorage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies just under {@code server.max_body_bytes}, eight at once, against the real gateway in a
 * JVM of its own with the launcher's heap ({@code -Xmx128m}, serial collector: scripts/find-java.sh).
 * Each is answered (200) or refused at the door (503 with {@code Retry-After} and an OpenAI error body),
 * or, for JSON too dense for the heap, refused unparsed (413); none is an empty 500, and the gateway is
 * still healthy and serving afterwards.
 */
class BodyAdmissionProcessTest {

    /** What ./triage starts the gateway with. */
    private static final int BODY_BYTES = 9_900_000;
    private static final int CONCURRENT = 8;

    @TempDir
    Path dir;

    // Slow enough that the eight requests overlap inside the gateway.
    private final RecordingUpstream upstream = new RecordingUpstream(0, user -> Duration.ofMillis(500));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private GatewayProcess gateway;

    @BeforeEach
    void start() {
        gateway = GatewayProcess.start(dir, server() + sqliteStorage(dir) + "resilience: {max_retries: 0}\n"
                + fastFrom(upstream.baseUrl()), GatewayProcess.launcherOptions());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    /** One long text: the raw bytes dominate. Dense content parts: the parsed JSON tree dominates (13x the bytes). */
    static byte[] body(String shape) {
        StringBuilder b = new StringBuilder(BODY_BYTES + 100).append("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":");
        String tail;
        if (shape.equals("long-text")) {
            b.append('"');
            tail = "\"}]}";
            while (b.length() < BODY_BYTES - tail.length() - 12) {
                b.append("lorem ipsum ");
            }
        } else {
            b.append("[{\"type\":\"text\",\"text\":\"a\"}");
            tail = "]}]}";
            while (b.length() < BODY_BYTES - tail.length() - 30) {
                b.append(",{\"type\":\"text\",\"text\":\"a\"}");
            }
        }
        return b.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<HttpResponse<String>> sendAtOnce(byte[] body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            sent.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            responses.add(f.get());
        }
        return responses;
    }

    @Test
    void nearLimitBodiesAtOnceAreAnsweredOrRefusedWith503AndTheGatewayStaysHealthy() throws Exception {
        byte[] body = body("long-text");
        assertThat(body.length).isBetween(BODY_BYTES - 100, BODY_BYTES);

        int answered = 0;
        for (HttpResponse<String> r : sendAtOnce(body)) {
            assertThat(r.statusCode()).as("status, body: %s; log:%n%s", r.body(), gateway.log()).isIn(200, 503);
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
            JsonNode json = GatewayHarness.json(r.body());
            if (r.statusCode() == 200) {
                answered++;
                assertThat(json.path("choices").size()).isEqualTo(1);
            } else {
                assertThat(json.path("error").path("code").asText()).isEqualTo("gateway_busy");
                assertThat(json.path("error").path("type").asText()).isEqualTo("server_error");
                assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            }
        }
        assertThat(answered).as("at least one request fits the budget at a time").isPositive();
        assertStillHealthy();
    }

    @Test
    void nearLimitBodiesOfDenseJsonAreRefusedWith413UnparsedAndTheGatewayStaysHealthy() throws Exception {
        // 354,000 content parts: their tree and its upstream copy would need about 190 MB.
        byte[] body = body("dense-parts");

        int refusedUnparsed = 0;
        for (HttpResponse<String> r : sendAtOnce(body)) {
            // Each is read under the budget (503 when another holds it) and then found too dense to parse.
            assertThat(r.statusCode()).as("status, body: %s; log:%n%s", r.body(), gateway.log()).isIn(413, 503);
            JsonNode error = GatewayHarness.json(r.body()).path("error");
            if (r.statusCode() == 413) {
                refusedUnparsed++;
                assertThat(error.path("code").asText()).isEqualTo("request_too_large");
                assertThat(error.path("message").asText()).contains("structural characters");
            } else {
                assertThat(error.path("code").asText()).isEqualTo("gateway_busy");
            }
        }
        assertThat(refusedUnparsed).isPositive();
        assertThat(upstream.calls()).isEmpty();
        assertStillHealthy();
    }

    private void assertStillHealthy() throws Exception {
        assertThat(gateway.alive()).isTrue();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz")).GET()).statusCode())
                .isEqualTo(200);
        HttpResponse<String> normal = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayHarness.ask("fast", "Say hello"))));
        assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
        assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
