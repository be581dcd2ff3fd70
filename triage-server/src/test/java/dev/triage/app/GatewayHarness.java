package dev.triage.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import dev.triage.testing.LocalServers;

/**
 * A running gateway for tests: two fake OpenAI-compatible upstreams ({@code primary}, {@code backup}),
 * a config that serves model {@code fast} from the first with {@code steady} (on the second) as its
 * fallback, and a SQLite ledger in a temporary directory.
 */
final class GatewayHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer primary = LocalServers.mockWebServer();
    final MockWebServer backup = LocalServers.mockWebServer();
    final TriageApp app;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir;
    private final String ledgerUrlGiven;

    GatewayHarness(String extraYaml) {
        this("", null, extraYaml);
    }

    /**
     * @param serverExtra extra keys for the {@code server:} mapping, e.g. {@code ", api_keys: [team-key-0123456789]"}
     * @param ledgerUrl   the ledger URL, or null for a SQLite file in a temporary directory
     * @param extraYaml   more top-level YAML appended to the config
     */
    GatewayHarness(String serverExtra, String ledgerUrl, String extraYaml) {
        this(serverExtra, ledgerUrl, extraYaml, java.time.Clock.systemUTC());
    }

    GatewayHarness(String serverExtra, String ledgerUrl, String extraYaml, java.time.Clock clock) {
        this(serverExtra, "", ledgerUrl, extraYaml, clock, null, null);
    }

    /** @param storageExtra extra keys for the {@code storage:} mapping, e.g. {@code ", capture_text: true"} */
    GatewayHarness(String serverExtra, String storageExtra, String ledgerUrl, String extraYaml, java.time.Clock clock) {
        this(serverExtra, storageExtra, ledgerUrl, extraYaml, clock, null, null);
    }

    /**
     * A gateway whose learned routes read model files from {@code configDir} and embed with {@code embedder},
     * which the app closes on shutdown.
     */
    GatewayHarness(String extraYaml, Path configDir, OnDemandEmbedder embedder) {
        this("", "", null, extraYaml, java.time.Clock.systemUTC(), configDir, embedder);
    }

    private GatewayHarness(String serverExtra, String storageExtra, String ledgerUrl, String extraYaml, java.time.Clock clock,
                           Path configDir, OnDemandEmbedder embedder) {
        ledgerUrlGiven = ledgerUrl;
        try {
            primary.start();
            backup.start();
            dir = Files.createTempDirectory("triage-gw");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String yaml = """
                server: {host: 127.0.0.1, port: 0, request_timeout_ms: 5000, stream_idle_timeout_ms: 1000%s}
                storage: {ledger: "%s", spool_dir: "%s"%s}
                resilience: {max_retries: 1, backoff_initial_ms: 10, backoff_max_ms: 50, breaker_failure_threshold: 100}
                providers:
                  primary: {kind: openai, base_url: "%s", api_key: "sk-test-primary-0123456789abcdef"}
                  backup:  {kind: openai, base_url: "%s", api_key: "${BACKUP_KEY}"}
                models:
                  fast:   {provider: primary, upstream_model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2, fallback: [steady]}
                  steady: {provider: backup, upstream_model: gpt-4.1, input_per_mtok: 3, output_per_mtok: 4, cached_input_per_mtok: 0.75}
                  lonely: {provider: primary, upstream_model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2}
                """.formatted(serverExtra, ledgerUrl(ledgerUrl), dir.resolve("spool"), storageExtra, GatewayYaml.baseUrl(primary), GatewayYaml.baseUrl(backup))
                + extraYaml;
        Map<String, String> env = Map.of("BACKUP_KEY", "sk-test-backup-0123456789abcdef");
        TriageConfig config = embedder == null ? ConfigLoader.parse(yaml, "test.yaml", env)
                : ConfigLoader.parse(yaml, "test.yaml", env, configDir, embedder);
        app = TriageApp.start(config, embedder, clock, null);
    }

    GatewayHarness() {
        this("");
    }

    private String ledgerUrl(String given) {
        return given != null ? given : "sqlite:" + dir + "/ledger.db";
    }

    /** A chat completion request body asking {@code model} (a route or a model) one user question. */
    static String ask(String model, String prompt) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + dev.triage.provider.openai.OpenAiWire.JSON.valueToTree(prompt) + "}]}";
    }

    /** The ledger rows of the request {@code response} answered, by its {@code x-triage-request-id}. */
    java.util.List<dev.triage.ledger.LedgerEntry> ledgerOf(HttpResponse<String> response) {
        return app.ledger().findByRequest(response.headers().firstValue("x-triage-request-id").orElseThrow());
    }

    /** The ledger URL the gateway writes to, for commands run beside it. */
    String ledgerUrl() {
        return ledgerUrl(ledgerUrlGiven);
    }

    /** A directory of the test's own, removed with the JVM's temporary files. */
    Path dir() {
        return dir;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String chat(String model, boolean stream) {
        return """
                {"model":"%s","messages":[{"role":"user","content":"Say hello"}],"stream":%s%s}"""
                .formatted(model, stream, stream ? ",\"stream_options\":{\"include_usage\":true}" : "");
    }

    @Override
    public void close() {
        app.close();
        primary.close();
        backup.close();
    }
}
