package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.triage.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budget alerts against a local webhook receiver: two instances sharing Redis spend one tier's budget
 * concurrently, and the receiver gets the 80 % and the 100 % alert once each.
 */
class BudgetAlertsGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final HttpServer receiver;
    private final List<TriageApp> instances = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String route = "alerted-" + UUID.randomUUID().toString().substring(0, 8);

    BudgetAlertsGatewayTest() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook/t0k3n", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        instances.forEach(TriageApp::close);
        receiver.stop(0);
    }

    @Test
    void theWebhookHearsEachThresholdOnceAcrossInstances() throws Exception {
        String yaml = """
                server: {host: 127.0.0.1, port: 0}
                storage: {ledger: "sqlite:%s", spool_max_bytes: 0, redis: "redis://127.0.0.1:6379/0"}
                alerts: {webhook_url: "http://127.0.0.1:%d/hook/t0k3n"}
                providers:
                  sim: {kind: simulated, latency_ms: 5, output_tokens: 64}
                models:
                  pricey: {provider: sim, input_per_mtok: 1, output_per_mtok: 100}
                routes:
                  %s:
                    policy: tiered
                    tiers:
                      only: {models: [pricey], daily_budget_usd: 0.05}
                """;
        for (int i = 0; i < 2; i++) {
            String config = yaml.formatted(dir.resolve("ledger-" + i + ".db"), receiver.getAddress().getPort(), route);
            instances.add(TriageApp.start(ConfigLoader.parse(config, "triage.yaml", Map.of()), null, Clock.systemUTC(), null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            statuses.add(pool.submit(() -> ask(instances.get(n % 2), n)));
        }
        int refused = 0;
        for (Future<Integer> s : statuses) {
            refused += s.get() == 429 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(refused).isPositive();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // a duplicate would arrive by now
        assertThat(received).hasSize(2);
        List<Integer> thresholds = new ArrayList<>();
        for (String body : received) {
            JsonNode alert = JSON.readTree(body);
            assertThat(alert.get("type").asText()).isEqualTo("budget_alert");
            assertThat(alert.get("budget").asText()).isEqualTo(route + "/only");
            assertThat(alert.get("kind").asText()).isEqualTo("tier");
            assertThat(alert.get("limit_usd").asText()).isEqualTo("0.05");
            thresholds.add(alert.get("threshold_pct").asInt());
        }
        assertThat(thresholds).containsExactlyInAnyOrder(80, 100);
    }

    private int ask(TriageApp app, int i) throws Exception {
        String body = "{\"model\":\"" + route + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about tides, "
                + i + "\"}]}";
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
