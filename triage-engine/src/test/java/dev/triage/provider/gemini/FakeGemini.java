package dev.triage.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.provider.Deadline;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.http.UpstreamHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.triage.tokens.TokenEstimator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import dev.triage.testing.LocalServers;

/**
 * A Gemini API on localhost (MockWebServer) answering with the real wire format, and a
 * {@link GeminiProvider} pointed at it with a pinned clock and counting ids ({@code call_1}, ...).
 */
final class FakeGemini implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "AIzaSyTESTKEY-0123456789abcdefghijk";
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final long NOW_SECONDS = NOW.getEpochSecond();

    final MockWebServer server = LocalServers.mockWebServer();
    final GeminiProvider provider;
    /** Google's side of explicit and implicit caching, when this fake answers by itself (else null). */
    final GoogleCaches google;

    /** A fake that answers what the test enqueues. */
    FakeGemini() {
        this(null, GeminiProvider.ExplicitCaching.OFF);
    }

    /**
     * A fake that answers every call by itself as Google does ({@link GoogleCaches}: cachedContents with expiry,
     * generateContent naming them, implicit hits), its time and the provider's being {@code time}.
     */
    FakeGemini(FakeTime time, int implicitHitPercent, GeminiProvider.ExplicitCaching explicitCaching) {
        this(new GoogleCaches(time, implicitHitPercent), explicitCaching);
    }

    private FakeGemini(GoogleCaches google, GeminiProvider.ExplicitCaching explicitCaching) {
        this.google = google;
        if (google != null) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return google.answer(request);
                }
            });
        }
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger ids = new AtomicInteger();
        String base = server.url("/").toString();
        Clock clock = google != null ? google.time : Clock.fixed(NOW, ZoneOffset.UTC);
        provider = new GeminiProvider("gemini", base, API_KEY, Map.of("x-team", "search"), UpstreamHttp.withDefaults(),
                clock, () -> String.valueOf(ids.incrementAndGet()), explicitCaching, new TokenEstimator());
    }

    /** A 200 answer with a JSON body, as {@code generateContent} sends it. */
    void answerJson(String body) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("content-type", "application/json; charset=UTF-8")
                .body(body)
                .build());
    }

    /** A 200 SSE answer as {@code streamGenerateContent?alt=sse} sends it: one {@code data:} line per fragment, CRLF-framed, no end marker. */
    void answerStream(String... fragments) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("content-type", "text/event-stream")
                .body(sse(fragments))
                .build());
    }

    void answer(MockResponse response) {
        server.enqueue(response);
    }

    /** An error answer in Google's format. */
    void answerError(int status, String body) {
        server.enqueue(new MockResponse.Builder()
                .code(status)
                .setHeader("content-type", "application/json; charset=UTF-8")
                .body(body)
                .build());
    }

    static String sse(String... fragments) {
        StringBuilder body = new StringBuilder();
        for (String fragment : fragments) {
            body.append("data: ").append(compact(fragment)).append("\r\n\r\n");
        }
        return body.toString();
    }

    RecordedRequest takeRequest() {
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(request).as("the provider called the upstream").isNotNull();
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode requestJson(RecordedRequest request) {
        return json(request.getBody().utf8());
    }

    static ProviderCall call(String openAiRequest) {
        return call(openAiRequest, Duration.ofSeconds(5));
    }

    static ProviderCall call(String openAiRequest, Duration idleTimeout) {
        return new ProviderCall(new ChatRequest((ObjectNode) json(openAiRequest)), "gemini-2.0-flash",
                Deadline.after(Duration.ofSeconds(10)), idleTimeout);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree after a trip through text, so int and long nodes compare equal to parsed expectations. */
    static JsonNode normalized(JsonNode node) {
        try {
            return JSON.readTree(JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String compact(String json) {
        try {
            return JSON.writeValueAsString(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
