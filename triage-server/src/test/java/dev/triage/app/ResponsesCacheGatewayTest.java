package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The response cache serves {@code /v1/responses} too: a repeated request is answered as a Response, at no cost. */
class ResponsesCacheGatewayTest {

    private final GatewayHarness gw = new GatewayHarness("cache: {exact: {enabled: true, ttl_seconds: 600, max_entries: 100}}\n");

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheAsAResponse() {
        String body = "{\"model\":\"fast\",\"instructions\":\"Be terse.\",\"input\":\"Say hello\",\"store\":false}";
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = gw.post("/v1/responses", body);
        HttpResponse<String> second = gw.post("/v1/responses", body);

        assertThat(first.headers().firstValue("x-triage-cache-status")).hasValue("miss");
        assertThat(second.headers().firstValue("x-triage-cache-status")).hasValue("hit-exact");
        assertThat(second.headers().firstValue("x-triage-cost-usd")).hasValue("0");
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
        JsonNode answer = json(second.body());
        assertThat(answer.get("object").asText()).isEqualTo("response");
        assertThat(answer.get("id").asText()).isNotEqualTo(json(first.body()).get("id").asText());
        assertThat(answer.at("/output/0/content/0/text").asText()).isEqualTo("Hello there!");
        assertThat(answer.at("/usage/total_tokens").asInt()).isEqualTo(23);
    }

    @Test
    void aRepeatedStreamIsReplayedAsResponsesEvents() {
        String body = "{\"model\":\"fast\",\"input\":\"Say hello\",\"stream\":true,\"store\":false}";
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> first = gw.post("/v1/responses", body);
        HttpResponse<String> second = gw.post("/v1/responses", body);

        assertThat(second.headers().firstValue("x-triage-cache-status")).hasValue("hit-exact");
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
        assertThat(types(first)).contains("response.output_text.delta").endsWith("response.completed");
        // The cache replays the whole text as one delta.
        assertThat(types(second)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        String last = second.body().split("\n\n")[second.body().split("\n\n").length - 1];
        JsonNode completed = json(last.substring(last.indexOf("data: ") + 6));
        assertThat(completed.get("type").asText()).isEqualTo("response.completed");
        assertThat(completed.at("/response/output/0/content/0/text").asText()).isEqualTo("Hello there!");
    }

    private static List<String> types(HttpResponse<String> r) {
        return Arrays.stream(r.body().split("\n\n")).map(e -> e.substring("event: ".length(), e.indexOf('\n'))).toList();
    }
}
