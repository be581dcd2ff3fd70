package dev.triage.app;

import static dev.triage.app.GatewayHarness.chat;
import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsGatewayTest {

    private final GatewayHarness gw = new GatewayHarness();

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void nonStreamingAnswerCarriesTriageHeadersAndIsBilledExactly() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));

        assertThat(r.statusCode()).isEqualTo(200);
        String id = r.headers().firstValue("x-triage-request-id").orElseThrow();
        assertThat(id).matches("req_[a-z2-7]{24}");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-route")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-downgraded")).hasValue("false");
        // 19 prompt tokens at $1/M + 4 completion tokens at $2/M
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000027");
        JsonNode body = json(r.body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo("fast");
        assertThat(body.get("id").asText()).isEqualTo("chatcmpl-" + id);
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello there!");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(19);

        RecordedRequest upstream = gw.primary.takeRequest();
        assertThat(upstream.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(json(upstream.getBody().utf8()).get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(upstream.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-primary-0123456789abcdef");

        List<LedgerEntry> rows = gw.app.ledger().findByRequest(id);
        assertThat(rows).singleElement().satisfies(e -> {
            assertThat(e.model()).isEqualTo("fast");
            assertThat(e.provider()).isEqualTo("primary");
            assertThat(e.route()).isEqualTo("fast");
            assertThat(e.status()).isEqualTo(AttemptStatus.OK);
            assertThat(e.usage().inputTokens()).isEqualTo(19);
            assertThat(e.usage().outputTokens()).isEqualTo(4);
            assertThat(e.usage().estimated()).isFalse();
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.000027"));
            assertThat(e.stream()).isFalse();
        });
    }

    @Test
    void streamingReEmitsOpenAiChunksThenAUsageChunkWithTriageInfoThenDone() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", true));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        String id = r.headers().firstValue("x-triage-request-id").orElseThrow();
        List<String> events = Arrays.stream(r.body().split("\n\n")).filter(s -> !s.isBlank()).toList();
        assertThat(events).allSatisfy(e -> assertThat(e).startsWith("data: "));
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(e -> json(e.substring(6))).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo("chatcmpl-" + id);
            assertThat(c.get("model").asText()).isEqualTo("fast");
        });
        String text = chunks.stream().map(c -> c.at("/choices/0/delta/content").asText("")).reduce("", String::concat);
        assertThat(text).isEqualTo("Hello there!");
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(19);
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(4);
        assertThat(usage.at("/triage/model").asText()).isEqualTo("fast");
        assertThat(usage.at("/triage/attempts/0").asText()).isEqualTo("fast");
        assertThat(usage.at("/triage/cost_usd").asText()).isEqualTo("0.000027");
        // only the usage chunk has no choices: the upstream's own usage chunk is not passed on twice
        assertThat(chunks.stream().filter(c -> c.get("choices").isEmpty())).hasSize(1);

        LedgerEntry row = gw.app.ledger().findByRequest(id).getFirst();
        assertThat(row.stream()).isTrue();
        assertThat(row.ttftMs()).isNotNull();
        assertThat(row.cost()).isEqualTo(Money.ofUsd("0.000027"));
    }

    @Test
    void streamingWithoutIncludeUsageSendsNoUsageChunk() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> r = gw.post("/v1/chat/completions",
                "{\"model\":\"fast\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void toolCallsStreamThroughUnchanged() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TOOL_STREAM).build());
        HttpResponse<String> r = gw.post("/v1/chat/completions", OpenAiWire.TOOLS_REQUEST
                .replace("\"model\":\"triage/smart\"", "\"model\":\"fast\",\"stream\":true"));
        StringBuilder args = new StringBuilder();
        for (String e : r.body().split("\n\n")) {
            if (e.startsWith("data: {")) {
                JsonNode c = json(e.substring(6));
                args.append(c.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
                if (c.at("/choices/0/delta/tool_calls/0/id").isTextual()) {
                    assertThat(c.at("/choices/0/delta/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
                }
            }
        }
        assertThat(args.toString()).isEqualTo("{\"location\":\"Paris\"}");
        assertThat(r.body()).contains("\"finish_reason\":\"tool_calls\"");
    }

    @Test
    void modelsListsServableModelsInOpenAiShape() {
        JsonNode list = json(gw.get("/v1/models").body());
        assertThat(list.get("object").asText()).isEqualTo("list");
        List<String> ids = list.get("data").findValuesAsText("id");
        assertThat(ids).contains("fast", "steady", "lonely");
        // bundled models whose provider (openai, anthropic, google) is not configured are not offered
        assertThat(ids).doesNotContain("gpt-4.1", "claude-3.5-sonnet");
        assertThat(list.at("/data/0/object").asText()).isEqualTo("model");
    }

    @Test
    void healthAndReadiness() {
        assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
    }
}
