package dev.triage.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.provider.Deadline;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.http.UpstreamHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import dev.triage.testing.LocalServers;

/** A local stand-in for api.anthropic.com that answers in Anthropic's wire format, and the provider pointed at it. */
final class FakeAnthropic implements AutoCloseable {

    static final String API_KEY = "sk-ant-api03-TESTKEYtestkey0123456789abcdefXYZ";
    static final String PROVIDER = "anthropic-main";
    static final String MODEL = "claude-sonnet-4-5-20250929";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final long NOW_SECONDS = NOW.getEpochSecond();
    /** The smallest client request: one user turn saying "Hello". */
    static final String HELLO_REQUEST = """
            {"model":"triage/smart","messages":[{"role":"user","content":"Hello"}]}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UpstreamHttp HTTP = UpstreamHttp.withDefaults();

    private final MockWebServer server = LocalServers.mockWebServer();
    final AnthropicProvider provider;

    FakeAnthropic() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        provider = new AnthropicProvider(PROVIDER, baseUrl(), API_KEY,
                Map.of("anthropic-beta", "token-efficient-tools-2025-02-19"), 4096, HTTP,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    void answer(int status, String body, String... headerNameValues) {
        MockResponse.Builder response = new MockResponse.Builder()
                .code(status)
                .addHeader("content-type", "application/json")
                .addHeader("request-id", "req_011CPx6aQ3Q2vZ1b9s2Kx7Nn")
                .body(body);
        for (int i = 0; i < headerNameValues.length; i += 2) {
            response.addHeader(headerNameValues[i], headerNameValues[i + 1]);
        }
        server.enqueue(response.build());
    }

    /** The API root of this upstream, as a config's {@code base_url}. */
    URI baseUrl() {
        return URI.create(server.url("/").toString());
    }

    void answer(MockResponse response) {
        server.enqueue(response);
    }

    void answerStream(String sseBody) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("content-type", "text/event-stream; charset=utf-8")
                .addHeader("cache-control", "no-cache")
                .body(sseBody)
                .build());
    }

    void answerStream(MockResponseBody body) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("content-type", "text/event-stream; charset=utf-8")
                .body(body)
                .build());
    }

    /** One SSE event as Anthropic frames it: an {@code event:} line, a {@code data:} line, a blank line. */
    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    static ProviderCall call(String requestJson) {
        return new ProviderCall(new ChatRequest((ObjectNode) json(requestJson)), MODEL,
                Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5));
    }

    static ProviderCall call(String requestJson, Duration idleTimeout) {
        return new ProviderCall(new ChatRequest((ObjectNode) json(requestJson)), MODEL,
                Deadline.after(Duration.ofSeconds(10)), idleTimeout);
    }

    RecordedRequest takeRequest() {
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("the provider sent no request");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The JSON body of the next request the provider sent upstream. */
    JsonNode takeRequestJson() {
        return json(takeRequest().getBody().utf8());
    }

    int requestCount() {
        return server.getRequestCount();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node} as a client would read it off the wire (so an int and a long of the same value compare equal). */
    static JsonNode wire(JsonNode node) {
        return json(node.toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
