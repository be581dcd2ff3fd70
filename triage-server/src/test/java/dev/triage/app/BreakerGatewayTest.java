package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.config.ConfigLoader;
import dev.triage.provider.openai.OpenAiWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A model's circuit breaker counts only the upstream's own failures: callers who ask for an impossible
 * latency cannot open it for everyone else.
 */
class BreakerGatewayTest {

    private final MockWebServer upstream = new MockWebServer();
    private final TriageApp app;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    BreakerGatewayTest() throws IOException {
        upstream.start();
        Path dir = Files.createTempDirectory("triage-breaker");
        String yaml = GatewayYaml.server(", request_timeout_ms: 15000, stream_idle_timeout_ms: 1000")
                + GatewayYaml.sqliteStorage(dir) + """
                resilience: {max_retries: 0, breaker_failure_threshold: 5, breaker_open_ms: 60000}
                providers:
                  openai: {kind: openai, base_url: "%s", api_key: "sk-test-breaker-0123456789abcdef"}
                models:
                  gpt-4o-mini: {provider: openai}
                """.formatted(GatewayYaml.baseUrl(upstream));
        app = TriageApp.start(ConfigLoader.parse(yaml, "breaker.yaml", Map.of()), null, Clock.systemUTC(), null);
    }

    @AfterEach
    void stop() {
        app.close();
        upstream.close();
    }

    private HttpResponse<String> ask(String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayHarness.ask("gpt-4o-mini", "Say hello")));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void requestsThatAskForAnImpossibleLatencyNeverOpenTheModelsCircuit() {
        // Whichever call reaches the upstream is answered after 2 s: too late for a hurried caller, in time for the
        // normal one. (A queue of 20 answers ran dry when every hurried call got through, and the normal one waited.)
        upstream.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(2, TimeUnit.SECONDS).build();
            }
        });
        List<HttpResponse<String>> hurried = new ArrayList<>();
        // four times the breaker's threshold: whichever way each one fails, none is the upstream's fault
        for (int i = 0; i < 20; i++) {
            hurried.add(ask("x-triage-max-latency-ms", "1"));
        }
        HttpResponse<String> normal = ask();

        assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
        assertThat(normal.headers().firstValue("x-triage-model")).hasValue("gpt-4o-mini");
        // the hurried callers themselves were told their deadline passed
        assertThat(hurried).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("upstream_timeout");
        });
    }
}
