package dev.triage.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/report} after real traffic through the gateway. Every answer uses 19 input and 4
 * output tokens: $0.000027 on {@code fast} ($1/$2 per 1M), $0.000073 on {@code steady} ($3/$4).
 */
class ReportApiGatewayTest {

    static final String ROUTES = GatewayYaml.tieredRoute("0.0001", "0.00005", "0.0003");
    static final String OVERLOADED = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
    private final GatewayHarness gw = new GatewayHarness("", null, ROUTES, clock);

    @AfterEach
    void stop() {
        gw.close();
    }

    /** Three requests: fast answers; fast fails twice and steady answers; the tiered route's low tier answers for carol. */
    String[] traffic() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> first = gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false));
        gw.primary.enqueue(OpenAiWire.json(503, OVERLOADED));
        gw.primary.enqueue(OpenAiWire.json(503, OVERLOADED));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> second = gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false));
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> third = gw.post("/v1/chat/completions",
                "{\"model\":\"tiered\",\"user\":\"carol\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.headers().firstValue("x-triage-tier")).hasValue("low");
        return new String[] {id(first), id(second), id(third)};
    }

    /** Reads numbers as decimals, as a client that wants the amounts exact would. */
    static JsonNode decimals(String body) {
        try {
            return new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String id(HttpResponse<String> r) {
        return r.headers().firstValue("x-triage-request-id").orElseThrow();
    }

    HttpResponse<String> feedback(String requestId, String score) {
        return gw.post("/v1/feedback", "{\"request_id\":\"" + requestId + "\",\"score\":" + score + "}");
    }

    @Test
    void theReportShowsExactlyWhatTheTrafficCostAndWhatFeedbackSaid() {
        String[] ids = traffic();
        assertThat(feedback(ids[0], "0.8").statusCode()).isEqualTo(200);
        assertThat(feedback(ids[1], "1").statusCode()).isEqualTo(200);
        assertThat(feedback(ids[1], "0.6").statusCode()).isEqualTo(200);
        assertThat(feedback(ids[2], "0.9").statusCode()).isEqualTo(200);

        HttpResponse<String> r = gw.get("/api/report");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode j = decimals(r.body());
        assertThat(j.at("/period/from").asText()).isEqualTo("2026-02-09T00:00:00Z");
        assertThat(j.at("/period/to").asText()).isEqualTo("2026-03-11T00:00:00Z");
        assertThat(j.at("/total_cost_usd").decimalValue()).isEqualByComparingTo("0.000127");
        assertThat(j.at("/total_cost_picousd").asLong()).isEqualTo(127_000_000L);
        assertThat(j.at("/requests").asLong()).isEqualTo(3);
        assertThat(j.at("/attempts").asLong()).isEqualTo(5);
        assertThat(j.at("/answered").asLong()).isEqualTo(3);
        assertThat(j.at("/errors").asLong()).isEqualTo(2);
        assertThat(j.at("/fallbacks").asLong()).isEqualTo(1);
        assertThat(r.body()).contains("\"avg_cost_per_request_usd\" : 0.000042333333");
        assertThat(j.at("/by_model")).hasToString("[{\"name\":\"steady\",\"requests\":1,\"attempts\":1,\"cost_usd\":0.000073,\"share_pct\":57.48},"
                + "{\"name\":\"fast\",\"requests\":2,\"attempts\":4,\"cost_usd\":0.000054,\"share_pct\":42.52}]");
        assertThat(j.at("/by_route")).hasToString("[{\"name\":\"fast\",\"requests\":2,\"attempts\":4,\"cost_usd\":0.0001,\"share_pct\":78.74},"
                + "{\"name\":\"tiered\",\"requests\":1,\"attempts\":1,\"cost_usd\":0.000027,\"share_pct\":21.26}]");
        assertThat(j.at("/by_tier/1")).hasToString("{\"name\":\"low\",\"requests\":1,\"attempts\":1,\"cost_usd\":0.000027,\"share_pct\":21.26}");
        assertThat(j.at("/by_user/1")).hasToString("{\"name\":\"carol\",\"requests\":1,\"attempts\":1,\"cost_usd\":0.000027,\"share_pct\":21.26}");
        assertThat(j.at("/daily")).hasSize(30);
        assertThat(j.at("/daily/29")).hasToString("{\"day\":\"2026-03-10\",\"requests\":3,\"cost_usd\":0.000127,"
                + "\"by_model\":{\"fast\":0.000054,\"steady\":0.000073}}");
        // Today's budgets come from the router's budget store.
        assertThat(j.at("/budgets")).hasSize(3);
        assertThat(j.at("/budgets/2/tier").asText()).isEqualTo("low");
        assertThat(j.at("/budgets/2/day").asText()).isEqualTo("2026-03-10");
        assertThat(j.at("/budgets/2/spent_usd").decimalValue()).isEqualByComparingTo("0.000027");
        assertThat(j.at("/budgets/2/limit_usd").decimalValue()).isEqualByComparingTo("0.0003");
        assertThat(r.body()).contains("\"used_pct\" : 9.00");
        // (the decimal reader drops trailing zeros: the wire says 0.8250)
        assertThat(j.at("/quality/overall")).hasToString("{\"mean\":0.825,\"count\":4}");
        assertThat(j.at("/quality/by_model")).hasToString("[{\"name\":\"fast\",\"mean\":0.85,\"count\":2},"
                + "{\"name\":\"steady\",\"mean\":0.8,\"count\":2}]");
        // tiered: strong-only (steady) would have cost $0.000073 for what fast did for $0.000027; too little feedback to weigh.
        assertThat(j.at("/routing_efficiency/routes/0/strongest_model").asText()).isEqualTo("steady");
        assertThat(j.at("/routing_efficiency/routes/0/strong_only_cost_usd").decimalValue()).isEqualByComparingTo("0.000073");
        assertThat(j.at("/routing_efficiency/routes/0/quality_adjusted").asBoolean()).isFalse();
        assertThat(j.at("/routing_efficiency/efficiency").decimalValue()).isEqualByComparingTo("2.7037");
        assertThat(j.at("/recommendations/0/kind").asText()).isEqualTo("insufficient_data");
        assertThat(j.at("/recommendations/0/text").asText()).isEqualTo("Only 3 requests in this period: recommendations need at least 50.");
    }

    @Test
    void whatAProvidersPromptCacheSavedIsRecordedPerAttemptAndReported() {
        // steady's upstream reports 2,006 prompt tokens of which 1,920 were read from its cache, and 300 output tokens.
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_REASONING_CACHED));
        HttpResponse<String> answer = gw.post("/v1/chat/completions", GatewayHarness.chat("steady", false));
        assertThat(answer.statusCode()).isEqualTo(200);

        // Cost: 86 x $3 + 1,920 x $0.75 + 300 x $4, per 1M = $0.002898. Uncached the prompt would have cost
        // 2,006 x $3/M: the cache saved 1,920 x ($3 - $0.75)/M = $0.00432.
        assertThat(answer.headers().firstValue("x-triage-cost-usd")).hasValue("0.002898");
        assertThat(gw.ledgerOf(answer)).singleElement().satisfies(e -> {
            assertThat(e.usage().cachedInputTokens()).isEqualTo(1_920);
            assertThat(e.cacheSaving()).isEqualTo(dev.triage.chat.Money.ofUsd("0.00432"));
        });
        JsonNode j = decimals(gw.get("/api/report").body());
        assertThat(j.at("/prompt_cache/saved_usd").decimalValue()).isEqualByComparingTo("0.00432");
        assertThat(j.at("/prompt_cache/hit_rate_pct").decimalValue()).isEqualByComparingTo("95.71"); // 1,920 / 2,006
        assertThat(j.at("/prompt_cache/by_model")).hasToString("[{\"name\":\"steady\",\"input_tokens\":2006,"
                + "\"cached_input_tokens\":1920,\"cache_write_tokens\":0,\"hit_rate_pct\":95.71,\"saved_usd\":0.00432}]");
        assertThat(j.at("/prompt_cache/by_route/0/name").asText()).isEqualTo("steady");
    }

    @Test
    void fromAndToTakeDatesOrInstants() {
        traffic();

        JsonNode day = json(gw.get("/api/report?from=2026-03-10&to=2026-03-10").body());
        assertThat(day.at("/period/from").asText()).isEqualTo("2026-03-10T00:00:00Z");
        assertThat(day.at("/period/to").asText()).isEqualTo("2026-03-11T00:00:00Z");
        assertThat(day.at("/requests").asLong()).isEqualTo(3);

        JsonNode before = json(gw.get("/api/report?from=2026-03-01T00:00:00Z&to=2026-03-10T11:00:00%2B00:00").body());
        assertThat(before.at("/requests").asLong()).isZero();
        assertThat(before.at("/total_cost_usd").decimalValue()).isEqualByComparingTo("0");
        assertThat(before.at("/daily")).hasSize(10);
    }

    @Test
    void badPeriodsAre400InOpenAisErrorShape() {
        HttpResponse<String> notADate = gw.get("/api/report?from=last-tuesday");
        assertThat(notADate.statusCode()).isEqualTo(400);
        assertThat(json(notADate.body()).at("/error/param").asText()).isEqualTo("from");
        assertThat(json(notADate.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(notADate.body()).at("/error/message").asText()).startsWith("from: expected an ISO date");

        HttpResponse<String> badTo = gw.get("/api/report?to=2026-13-01");
        assertThat(badTo.statusCode()).isEqualTo(400);
        assertThat(json(badTo.body()).at("/error/param").asText()).isEqualTo("to");

        assertThat(gw.get("/api/report?from=2026-03-10&to=2026-03-01").statusCode()).isEqualTo(400);
        assertThat(gw.get("/api/report?from=2024-01-01&to=2026-01-01").statusCode()).isEqualTo(400);
        assertThat(gw.get("/api/report?from=2026-03-01T12:00:00").statusCode()).isEqualTo(400); // no offset: ambiguous
    }
}
