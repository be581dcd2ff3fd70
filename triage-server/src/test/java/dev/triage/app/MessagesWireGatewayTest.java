package dev.triage.app;

import static dev.triage.app.MessagesUpstreams.event;
import static dev.triage.app.MessagesUpstreams.received;
import static dev.triage.app.MessagesUpstreams.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /v1/messages} on the wire: Anthropic's error shape for bad input and bad keys (nothing upstream, no ledger
 * row), both key headers, the {@code x-triage-*} headers, the SSE framing of Anthropic's events, and an upstream
 * failure after the first byte told as an {@code error} event.
 */
class MessagesWireGatewayTest {

    @TempDir
    static Path dir;
    private static MessagesUpstreams gw;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        gw = new MessagesUpstreams(dir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode anthropicError(HttpResponse<String> r, int status, String type) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = MessagesUpstreams.JSON.readTree(r.body());
        assertThat(body.get("type").asText()).as(r.body()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isEqualTo(type);
        assertThat(body.get("error").size()).isEqualTo(2); // type and message, as Anthropic writes them
        return body.get("error");
    }

    private static long ledgerRows() {
        gw.app.ledger().flush();
        return gw.app.ledger().count();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            missing max_tokens   | {"model":"gpt-mini","messages":[{"role":"user","content":"hi"}]}                                  | max_tokens: Field required
            max_tokens zero      | {"model":"gpt-mini","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}                   | max_tokens: must be an integer
            missing messages     | {"model":"gpt-mini","max_tokens":10}                                                               | messages: Field required
            system role in turns | {"model":"gpt-mini","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}                 | messages[0].role
            document block       | {"model":"gpt-mini","max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]} | 'document' are not supported
            server tool          | {"model":"gpt-mini","max_tokens":10,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"hi"}]} | server tools
            tool without schema  | {"model":"gpt-mini","max_tokens":10,"tools":[{"name":"f"}],"messages":[{"role":"user","content":"hi"}]} | tools[0].input_schema
            temperature above 1  | {"model":"gpt-mini","max_tokens":10,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]} | temperature: must be a number between 0 and 1
            thinking budget      | {"model":"claude","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"hi"}]} | must be less than max_tokens
            five stop sequences  | {"model":"gpt-mini","max_tokens":10,"stop_sequences":["a","b","c","d","e"],"messages":[{"role":"user","content":"hi"}]} | stop_sequences: at most 4
            invalid JSON         | {"model": "gpt-mini", "max_tokens":                                                              | not valid JSON
            MCP servers          | {"model":"gpt-mini","max_tokens":10,"mcp_servers":[{"type":"url","url":"https://example.com/sse","name":"x"}],"messages":[{"role":"user","content":"hi"}]} | mcp_servers
            redirecting field    | {"model":"gpt-mini","max_tokens":10,"base_url":"http://evil","messages":[{"role":"user","content":"hi"}]} | base_url
            """)
    void badInputIsAnInvalidRequestErrorInAnthropicsShape(String name, String body, String message) throws IOException {
        long rows = ledgerRows();
        int calls = gw.openai.getRequestCount() + gw.anthropic.getRequestCount();
        JsonNode error = anthropicError(post("/v1/messages", body, "x-api-key", MessagesUpstreams.KEY), 400, "invalid_request_error");
        assertThat(error.get("message").asText()).contains(message);
        assertThat(gw.openai.getRequestCount() + gw.anthropic.getRequestCount()).isEqualTo(calls);
        assertThat(ledgerRows()).isEqualTo(rows);
    }

    @Test
    void keysAreCheckedAsAnthropicClientsSendThem() throws IOException {
        String ask = "{\"model\":\"gpt-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode missing = anthropicError(post("/v1/messages", ask), 401, "authentication_error");
        assertThat(missing.get("message").asText()).contains("x-api-key");
        anthropicError(post("/v1/messages", ask, "x-api-key", "sk-ant-wrong"), 401, "authentication_error");
        anthropicError(post("/v1/messages/count_tokens", ask, "x-api-key", "sk-ant-wrong"), 401, "authentication_error");
        // x-api-key is Anthropic's header: the chat endpoint still wants a bearer key
        HttpResponse<String> chat = post("/v1/chat/completions", GatewayHarness.ask("gpt-mini", "hi"), "x-api-key", MessagesUpstreams.KEY);
        assertThat(chat.statusCode()).isEqualTo(401);
        assertThat(chat.body()).contains("\"code\":\"invalid_api_key\"");

        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> bearer = post("/v1/messages", ask, "authorization", "Bearer " + MessagesUpstreams.KEY);
        assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
        received(gw.openai);
    }

    @Test
    void aVirtualKeyComesAsXApiKeyWithItsLimits() throws IOException {
        String secret = gw.app.ledger().keys().create(new dev.triage.keys.NewKey("claude-code", "platform",
                dev.triage.chat.Money.ofUsd("5"), dev.triage.keys.KeyPeriod.DAY, java.util.Set.of("flash"), java.util.Set.of(),
                null, null, null), java.time.Instant.now()).secret();
        JsonNode refused = anthropicError(post("/v1/messages",
                "{\"model\":\"gpt-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", secret), 403, "permission_error");
        assertThat(refused.get("message").asText()).contains("claude-code").contains("gpt-mini");

        gw.gemini.enqueue(MessagesUpstreams.json("""
                {"candidates":[{"content":{"parts":[{"text":"Hi!"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},"modelVersion":"gemini-2.0-flash"}"""));
        HttpResponse<String> ok = post("/v1/messages",
                "{\"model\":\"flash\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", secret);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        received(gw.gemini);
        gw.app.ledger().flush();
        assertThat(gw.app.ledger().findByRequest(ok.headers().firstValue("x-triage-request-id").orElseThrow()))
                .singleElement().satisfies(e -> assertThat(e.apiKey()).isEqualTo("claude-code"));
    }

    @Test
    void anUnknownModelIsANotFoundError() throws IOException {
        JsonNode error = anthropicError(post("/v1/messages",
                "{\"model\":\"no-such-model\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", MessagesUpstreams.KEY), 404, "not_found_error");
        assertThat(error.get("message").asText()).contains("no-such-model");
    }

    @Test
    void answersCarryTriagesHeaders() throws IOException {
        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = post("/v1/messages",
                "{\"model\":\"gpt-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", MessagesUpstreams.KEY, "x-triage-task", "chat");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).contains("gpt-mini");
        assertThat(r.headers().firstValue("x-triage-route")).contains("gpt-mini");
        assertThat(r.headers().firstValue("x-triage-policy")).contains("model");
        assertThat(r.headers().firstValue("x-triage-task")).contains("chat");
        assertThat(r.headers().firstValue("x-triage-attempts")).contains("gpt-mini");
        assertThat(r.headers().firstValue("x-triage-cost-usd")).contains("0.000027");
        String id = r.headers().firstValue("x-triage-request-id").orElseThrow();
        JsonNode message = MessagesUpstreams.JSON.readTree(r.body());
        assertThat(message.get("id").asText()).isEqualTo("msg_" + id);
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("role").asText()).isEqualTo("assistant");
        assertThat(message.get("stop_sequence").isNull()).isTrue();
        assertThat(message.get("usage").toString()).isEqualTo(
                "{\"input_tokens\":19,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":4}");
        received(gw.openai);
    }

    @Test
    void eventsAreFramedAsAnthropicFramesThem() {
        gw.openai.enqueue(OpenAiWire.sse(OpenAiWire.TOOL_STREAM).build());
        HttpResponse<String> r = post("/v1/messages",
                "{\"model\":\"gpt-mini\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}]}",
                "x-api-key", MessagesUpstreams.KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<String> names = new ArrayList<>();
        for (String frame : r.body().split("\n\n")) {
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            String name = lines[0].substring("event: ".length());
            assertThat(lines[1]).startsWith("data: {\"type\":\"" + name + "\"");
            names.add(name);
        }
        assertThat(names).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(r.body()).doesNotContain("[DONE]");
        assertThat(r.body()).contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_Zq3mA8kXbL1vT9nR2cE5wYhJ\",\"name\":\"get_weather\",\"input\":{}}");
        assertThat(r.body()).contains("\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":62,");
        received(gw.openai);
    }

    @Test
    void anUpstreamFailureAfterTheFirstByteIsAnErrorEvent() throws IOException {
        gw.anthropic.enqueue(sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01Cut","type":"message","role":"assistant",
                         "model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,
                         "usage":{"input_tokens":25,"output_tokens":1}}}""")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Half an ans\"}}")
                + event("error", "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}")));
        long rows = ledgerRows();
        HttpResponse<String> r = post("/v1/messages",
                "{\"model\":\"claude\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", MessagesUpstreams.KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Half an ans");
        String[] frames = r.body().split("\n\n");
        String last = frames[frames.length - 1];
        assertThat(last).startsWith("event: error\ndata: ");
        JsonNode error = MessagesUpstreams.JSON.readTree(last.substring(last.indexOf("data: ") + 6));
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("error").get("type").asText()).isEqualTo("overloaded_error");
        assertThat(r.body()).doesNotContain("message_stop");
        assertThat(ledgerRows()).isEqualTo(rows + 1); // the cut attempt is recorded
        received(gw.anthropic);
    }
}
