package dev.triage.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.config.ConfigLoader;
import dev.triage.testing.LocalServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A gateway with one fake upstream of each kind, each answering in its real wire format: {@code gpt-mini} on an
 * OpenAI-compatible server, {@code claude} on Anthropic's Messages API, {@code flash} on Gemini's
 * {@code generateContent}. The gateway asks for a key ({@link #KEY}).
 */
final class MessagesUpstreams implements AutoCloseable {

    static final String KEY = "team-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer openai = LocalServers.mockWebServer();
    final MockWebServer anthropic = LocalServers.mockWebServer();
    final MockWebServer gemini = LocalServers.mockWebServer();
    final TriageApp app;

    MessagesUpstreams(Path dir) {
        this(dir, "");
    }

    /** @param extraYaml more top-level YAML, e.g. a {@code cache:} section */
    MessagesUpstreams(Path dir, String extraYaml) {
        try {
            openai.start();
            anthropic.start();
            gemini.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String yaml = GatewayYaml.server(", api_keys: [" + KEY + "], request_timeout_ms: 5000") + GatewayYaml.sqliteStorage(dir) + """
                resilience: {max_retries: 0, breaker_failure_threshold: 100}
                providers:
                  openai:    {kind: openai,    base_url: "%s", api_key: "sk-test-openai-0123456789abcdef"}
                  anthropic: {kind: anthropic, base_url: "%s", api_key: "sk-ant-test-0123456789abcdef"}
                  google:    {kind: gemini,    base_url: "%s", api_key: "AIzaTEST-0123456789abcdef"}
                models:
                  gpt-mini: {provider: openai, upstream_model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2}
                  claude:   {provider: anthropic, upstream_model: claude-sonnet-4-5-20250929, input_per_mtok: 3, output_per_mtok: 15,
                             cached_input_per_mtok: 0.3, cache_write_per_mtok: 3.75}
                  flash:    {provider: google, upstream_model: gemini-2.0-flash, input_per_mtok: 0.1, output_per_mtok: 0.4}
                """.formatted(GatewayYaml.baseUrl(openai), anthropic.url("/").toString().replaceAll("/$", ""),
                gemini.url("/").toString().replaceAll("/$", "")) + extraYaml;
        app = TriageApp.start(ConfigLoader.parse(yaml, "messages.yaml", Map.of()), null, Clock.systemUTC(), null);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The body the upstream got in its next request. */
    static JsonNode received(MockWebServer upstream) {
        try {
            RecordedRequest r = upstream.takeRequest(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("the upstream got no request");
            }
            return JSON.readTree(r.getBody().utf8());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("content-type", "application/json").body(body).build();
    }

    static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).setHeader("content-type", "text/event-stream; charset=utf-8").body(body).build();
    }

    /** One Anthropic stream event, framed as Anthropic frames it. */
    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data.strip().replace("\n", "") + "\n\n";
    }

    /** Gemini stream chunks ({@code alt=sse}), framed as Google frames them. */
    static String geminiEvents(List<String> chunks) {
        StringBuilder b = new StringBuilder();
        chunks.forEach(c -> b.append("data: ").append(c.strip().replace("\n", "")).append("\r\n\r\n"));
        return b.toString();
    }

    @Override
    public void close() {
        app.close();
        openai.close();
        anthropic.close();
        gemini.close();
    }
}
