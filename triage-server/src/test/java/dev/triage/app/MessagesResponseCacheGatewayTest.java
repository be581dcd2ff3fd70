package dev.triage.app;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The response cache serves a Messages request again, as an Anthropic message or event stream, at no cost. */
class MessagesResponseCacheGatewayTest {

    private static final String ASK = "{\"model\":\"gpt-mini\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]%s}";

    @TempDir
    Path dir;
    private MessagesUpstreams gw;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        gw = new MessagesUpstreams(dir, "cache: {exact: {enabled: true, ttl_seconds: 600, max_entries: 100}}\n");
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("x-api-key", MessagesUpstreams.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCacheInAnthropicsFormat() throws Exception {
        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = post(ASK.formatted(""));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-triage-cache-status")).contains("miss");

        HttpResponse<String> again = post(ASK.formatted(""));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.headers().firstValue("x-triage-cache-status")).contains("hit-exact");
        assertThat(again.headers().firstValue("x-triage-cost-usd")).contains("0");
        JsonNode message = MessagesUpstreams.JSON.readTree(again.body());
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("id").asText()).isEqualTo("msg_" + again.headers().firstValue("x-triage-request-id").orElseThrow());
        assertThat(message.get("content").get(0).get("text").asText()).isEqualTo("Hello there!");
        assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.get("usage").get("input_tokens").asInt()).isEqualTo(19);

        HttpResponse<String> streamed = post(ASK.formatted(",\"stream\":true"));
        assertThat(streamed.headers().firstValue("x-triage-cache-status")).contains("hit-exact");
        assertThat(streamed.body()).startsWith("event: message_start\n")
                .contains("\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello there!\"}")
                .contains("\"stop_reason\":\"end_turn\"")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(gw.openai.getRequestCount()).isEqualTo(1);
    }
}
