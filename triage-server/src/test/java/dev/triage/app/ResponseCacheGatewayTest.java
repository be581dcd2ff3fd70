package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The response cache through the live gateway: what hits, what misses, who may share, and what the ledger says. */
class ResponseCacheGatewayTest {

    private static final String TEAM_A = "team-a-key-0123456789";
    private static final String TEAM_B = "team-b-key-9876543210";
    private static final String QUESTION = GatewayHarness.ask("fast", "What is the capital of France?");

    private final GatewayHarness gw = new GatewayHarness(", api_keys: [" + TEAM_A + ", " + TEAM_B + "]", null,
            "cache: {exact: {enabled: true, ttl_seconds: 600, max_entries: 100}}\n");

    @AfterEach
    void stop() {
        gw.close();
    }

    private HttpResponse<String> ask(String key, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + key;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return gw.post("/v1/chat/completions", body, all);
    }

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("x-triage-cache-status").orElse(null);
    }

    @Test
    void anIdenticalRequestIsAnsweredFromTheCacheAtNoCostAndAnyChangeMisses() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = ask(TEAM_A, QUESTION);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(status(first)).isEqualTo("miss");
        String firstCost = first.headers().firstValue("x-triage-cost-usd").orElseThrow();
        assertThat(firstCost).isNotEqualTo("0");

        HttpResponse<String> again = ask(TEAM_A, QUESTION);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(status(again)).isEqualTo("hit-exact");
        assertThat(again.headers().firstValue("x-triage-cost-usd")).hasValue("0");
        assertThat(again.headers().firstValue("x-triage-cache-source"))
                .hasValue(first.headers().firstValue("x-triage-request-id").orElseThrow());
        assertThat(json(again.body()).get("choices")).isEqualTo(json(first.body()).get("choices"));
        assertThat(json(again.body()).get("id").asText()).isNotEqualTo(json(first.body()).get("id").asText());
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
        assertThat(gw.ledgerOf(again)).isEmpty();

        // The same question with the keys in another order and the number written differently is the same request.
        String reordered = "{\"messages\":[{\"content\":\"What is the capital of France?\",\"role\":\"user\"}],\"model\":\"fast\"}";
        assertThat(status(ask(TEAM_A, reordered))).isEqualTo("hit-exact");

        // Any parameter, model or tool changes the answer: each misses and goes upstream.
        String[] changed = {
            QUESTION.replace("}]}", "}],\"temperature\":0.2}"),
            QUESTION.replace("\"fast\"", "\"lonely\""),
            QUESTION.replace("}]}", "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"capital\",\"parameters\":{}}}]}"),
            QUESTION.replace("}]}", "}],\"max_tokens\":5}"),
        };
        for (String body : changed) {
            gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
            HttpResponse<String> r = ask(TEAM_A, body);
            assertThat(r.statusCode()).as(body).isEqualTo(200);
            assertThat(status(r)).as(body).isEqualTo("miss");
        }
        assertThat(gw.primary.getRequestCount()).isEqualTo(1 + changed.length);
    }

    @Test
    void anAnswerLargerThanMaxAnswerBytesIsServedButNotKept() {
        try (GatewayHarness small = new GatewayHarness(", api_keys: [" + TEAM_A + "]", null,
                "cache: {exact: {enabled: true, max_answer_bytes: 2048}}\n")) {
            String shortQuestion = GatewayHarness.ask("fast", "Say hello");
            String longQuestion = GatewayHarness.ask("fast", "Write a long story");
            String story = "Once upon a time. ".repeat(200);
            for (int i = 0; i < 2; i++) {
                small.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT.replace("Hello there!", story)));
                HttpResponse<String> r = small.post("/v1/chat/completions", longQuestion, "Authorization", "Bearer " + TEAM_A);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(json(r.body()).at("/choices/0/message/content").asText()).isEqualTo(story);
                assertThat(r.headers().firstValue("x-triage-cache-status")).as("asked %d times", i + 1).hasValue("miss");
                assertThat(small.ledgerOf(r)).singleElement().satisfies(e -> assertThat(e.cost().picos()).isPositive());
            }
            small.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
            small.post("/v1/chat/completions", shortQuestion, "Authorization", "Bearer " + TEAM_A);
            HttpResponse<String> again = small.post("/v1/chat/completions", shortQuestion, "Authorization", "Bearer " + TEAM_A);
            assertThat(again.headers().firstValue("x-triage-cache-status")).hasValue("hit-exact");
            assertThat(small.primary.getRequestCount()).isEqualTo(3);
        }
    }

    @Test
    void anotherTenantNeverGetsAHitAndTheHeaderOffBypasses() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        assertThat(status(ask(TEAM_A, QUESTION))).isEqualTo("miss");

        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> other = ask(TEAM_B, QUESTION);
        assertThat(status(other)).isEqualTo("miss");
        assertThat(gw.ledgerOf(other)).hasSize(1);

        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> off = ask(TEAM_A, QUESTION, "x-triage-cache", "off");
        assertThat(status(off)).isEqualTo("bypass");
        assertThat(gw.ledgerOf(off)).hasSize(1);
        assertThat(gw.primary.getRequestCount()).isEqualTo(3);

        HttpResponse<String> bad = ask(TEAM_A, QUESTION, "x-triage-cache", "maybe");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad.body()).path("error").path("param").asText()).isEqualTo("x-triage-cache");
    }

    @Test
    void aCachedAnswerIsReplayedToAStreamAndAStreamedAnswerIsKeptOnceComplete() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = ask(TEAM_A, QUESTION);
        String text = json(first.body()).path("choices").path(0).path("message").path("content").asText();

        String streamed = QUESTION.replace("}]}", "}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        HttpResponse<String> replay = ask(TEAM_A, streamed);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(status(replay)).isEqualTo("hit-exact");
        assertThat(replay.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        StringBuilder content = new StringBuilder();
        JsonNode usage = null;
        for (String line : replay.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = json(line.substring(6));
                content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
                if (chunk.hasNonNull("usage")) {
                    usage = chunk;
                }
            }
        }
        assertThat(content.toString()).isEqualTo(text);
        assertThat(usage).isNotNull();
        assertThat(usage.path("triage").path("cost_usd").asText()).isEqualTo("0");
        assertThat(replay.body().strip()).endsWith("data: [DONE]");
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);

        // A streamed miss is kept, and answers the same question asked without streaming.
        String other = GatewayHarness.ask("fast", "Name a prime number");
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> stream = ask(TEAM_A, other.replace("}]}", "}],\"stream\":true}"));
        assertThat(status(stream)).isEqualTo("miss");
        HttpResponse<String> plain = ask(TEAM_A, other);
        assertThat(status(plain)).isEqualTo("hit-exact");
        assertThat(json(plain.body()).path("choices").path(0).path("finish_reason").asText()).isNotEmpty();
        assertThat(gw.primary.getRequestCount()).isEqualTo(2);
    }

    @Test
    void hitsAndTheirSavingAreInTheReport() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = ask(TEAM_A, QUESTION);
        String cost = first.headers().firstValue("x-triage-cost-usd").orElseThrow();
        ask(TEAM_A, QUESTION);
        ask(TEAM_A, QUESTION);

        HttpResponse<String> report = gw.get("/api/report", "Authorization", "Bearer " + TEAM_A);
        assertThat(report.statusCode()).isEqualTo(200);
        JsonNode cache = json(report.body()).get("cache");
        assertThat(cache.get("hits").asLong()).isEqualTo(2);
        assertThat(cache.get("misses").asLong()).isEqualTo(1);
        assertThat(cache.get("hit_rate_pct").decimalValue()).isEqualByComparingTo("66.67");
        assertThat(cache.get("saved_usd").decimalValue())
                .isEqualByComparingTo(new java.math.BigDecimal(cost).multiply(java.math.BigDecimal.TWO));
        assertThat(cache.path("by_route").path(0).path("name").asText()).isEqualTo("fast");
    }
}
