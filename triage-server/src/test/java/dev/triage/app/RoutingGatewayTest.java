package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.chat.Money;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed's strategies end to end: HTTP in, fake upstreams in the real OpenAI wire format, ledger out. */
class RoutingGatewayTest {

    static final String ROUTES = """
            routes:
              task:
                policy: task
                task_types:
                  classification: {model: fast, threshold: 0.8, fallback: steady}
                  summarization:  {model: fast, max_input_tokens: 60, fallback: steady}
                  chat:           {model: fast}
                  reasoning:      {model: fast, thinking: true}
                  fast_response:  {model: fast, max_latency_ms: 300, fallback: steady}
                default: chat
              cascade:
                policy: cascade
                scorer: logprob
                stages:
                  - {model: fast, accept_confidence: 0.9}
                  - {model: steady}
              floored:
                policy: cascade
                stages:
                  - {model: fast, accept_confidence: 0.9}
                  - {model: steady}
                quality_floor: {model: steady}
              judged:
                policy: cascade
                scorer: {kind: verifier, judge_model: lonely}
                stages:
                  - {model: fast, accept_confidence: 0.7}
                  - {model: steady}
              sampled:
                policy: cascade
                scorer: {kind: consistency, samples: 3}
                stages:
                  - {model: fast, accept_confidence: 0.6}
                  - {model: steady}
              cheap_only:
                policy: cascade
                stages:
                  - {model: fast}
                quality_floor: {model: steady}
            """;

    private final GatewayHarness gw = new GatewayHarness("", null, ROUTES);

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void confidentClassificationStaysOnTheCheapModel() {
        gw.primary.enqueue(Completions.text("positive"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("task", "Review: great phone, love it. Sentiment?"),
                "x-triage-task", "classification");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-route")).hasValue("task");
        assertThat(r.headers().firstValue("x-triage-task")).hasValue("classification");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast");
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(gw.ledgerOf(r)).singleElement().satisfies(e -> {
            assertThat(e.task()).isEqualTo("classification");
            assertThat(e.decision()).contains("task task: task=classification (hint)").contains("fast");
        });
    }

    @Test
    void unsureClassificationFallsBackAndBothCallsAreBilled() {
        gw.primary.enqueue(Completions.text("I'm not sure, it might maybe be positive? I think it's possible but I don't know."));
        gw.backup.enqueue(Completions.text("positive"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("task", "Review: great phone, love it. Sentiment?"),
                "x-triage-task", "classification");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        // fast: 19 * $1/M + 4 * $2/M = $0.000027; steady: 19 * $3/M + 4 * $4/M = $0.000073
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.0001");
        assertThat(json(r.body()).at("/choices/0/message/content").asText()).isEqualTo("positive");
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::step).containsExactly(null, "fallback");
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::attempt).containsExactly(1, 2);
    }

    @Test
    void longInputSkipsStraightToTheFallback() {
        gw.backup.enqueue(Completions.text("A summary."));
        String longText = "The quarterly report covers revenue, costs, hiring, product launches and regional results. ".repeat(8);
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("task", "Summarize: " + longText), "x-triage-task", "summarization");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(gw.primary.getRequestCount()).isZero();
        assertThat(gw.ledgerOf(r).getFirst().decision()).contains("exceeds max_input_tokens 60");
    }

    @Test
    void cascadeEscalatesExactlyWhenLogprobsAreLow() throws Exception {
        gw.primary.enqueue(Completions.withLogprobs("42", -2.0)); // exp(-2) = 0.135 < 0.9
        gw.backup.enqueue(Completions.text("41"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("cascade", "What is 6 * 7 - 1?"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.0001");
        RecordedRequest cheap = gw.primary.takeRequest();
        assertThat(json(cheap.getBody().utf8()).get("logprobs").asBoolean()).isTrue();
        assertThat(json(gw.backup.takeRequest().getBody().utf8()).has("logprobs")).isFalse();
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::step).containsExactly("stage 1/2", "stage 2/2");
    }

    @Test
    void cascadeAcceptsAConfidentCheapAnswerAndHidesTheLogprobsItAskedFor() {
        gw.primary.enqueue(Completions.withLogprobs("42", -0.01)); // exp(-0.01) = 0.990 >= 0.9
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("cascade", "What is 6 * 7?"));
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(json(r.body()).at("/choices/0/logprobs").isNull()).isTrue();
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000027");
    }

    @Test
    void streamingCascadeBuffersTheCheapStageThenStreamsTheEscalation() {
        gw.primary.enqueue(Completions.withLogprobs("42", -3.0));
        gw.backup.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> r = gw.post("/v1/chat/completions",
                "{\"model\":\"cascade\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        assertThat(r.headers().firstValue("x-triage-route")).hasValue("cascade");
        assertThat(r.body()).contains("Hello").contains("\"cost_usd\":\"0.0001\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void streamingCascadeReplaysAnAcceptedCheapAnswerAsChunks() {
        gw.primary.enqueue(Completions.withLogprobs("forty-two", -0.001));
        HttpResponse<String> r = gw.post("/v1/chat/completions",
                "{\"model\":\"cascade\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        StringBuilder text = new StringBuilder();
        for (String e : r.body().split("\n\n")) {
            if (e.startsWith("data: {")) {
                JsonNode c = json(e.substring(6));
                assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
                text.append(c.at("/choices/0/delta/content").asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo("forty-two");
        assertThat(r.body()).contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aVerifierJudgesTheCheapAnswerAndTheJudgeCallIsBilledAndMarked() throws Exception {
        gw.primary.enqueue(Completions.text("Paris is the capital of Spain."));   // stage 1 on fast
        gw.primary.enqueue(Completions.text("0.1"));                             // the judge (lonely, same upstream)
        gw.backup.enqueue(Completions.text("Madrid."));                           // stage 2 on steady
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("judged", "What is the capital of Spain?"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        // fast $0.000027 + judge on lonely $0.000027 + steady $0.000073
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000127");
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::step).containsExactly("stage 1/2", "judge", "stage 2/2");
        gw.primary.takeRequest();
        String judgeRequest = gw.primary.takeRequest().getBody().utf8();
        assertThat(judgeRequest).contains("Paris is the capital of Spain.").contains("What is the capital of Spain?");
    }

    @Test
    void consistencySamplesTheCheapModelAndAcceptsWhenTheyAgree() {
        gw.primary.enqueue(Completions.text("The answer is 42."));
        gw.primary.enqueue(Completions.text("42"));
        gw.primary.enqueue(Completions.text("It is 42"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("sampled", "What is 6 * 7?"));
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::step).containsExactly("stage 1/2", "sample", "sample");
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000081");
    }

    @Test
    void theQualityFloorSkipsModelsBelowIt() {
        gw.backup.enqueue(Completions.text("answer"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("floored", "hi"));
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("steady");
        assertThat(gw.primary.getRequestCount()).isZero();
    }

    @Test
    void onlyModelsBelowTheFloorLeftIsA429NotASilentDowngrade() {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("cheap_only", "hi"));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("quality_floor");
        assertThat(gw.primary.getRequestCount()).isZero();
        assertThat(gw.app.ledger().count()).isZero();
    }

    @Test
    void thinkingTurnsOnTheProvidersReasoningMode() throws Exception {
        gw.primary.enqueue(Completions.text("Because..."));
        gw.post("/v1/chat/completions", GatewayHarness.ask("task", "Why is the sky blue?"), "x-triage-task", "reasoning");
        assertThat(json(gw.primary.takeRequest().getBody().utf8()).get("reasoning_effort").asText()).isEqualTo("medium");
    }

    @Test
    void aBlownLatencyBudgetGoesToTheFallbackWithinTheRequestDeadline() {
        gw.primary.enqueue(Completions.text("slow").newBuilder().headersDelay(2, java.util.concurrent.TimeUnit.SECONDS).build());
        gw.backup.enqueue(Completions.text("fast enough"));
        long start = System.nanoTime();
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("task", "hi"), "x-triage-task", "fast_response");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(tookMs).isLessThan(1_500);
        List<LedgerEntry> rows = gw.ledgerOf(r);
        assertThat(rows.getFirst().errorKind()).isEqualTo("TIMEOUT");
        assertThat(rows.getFirst().usage().estimated()).isTrue(); // the slow call may still be billed: booked as an estimate
    }

    @Test
    void routesAreListedWithTheModels() {
        List<String> ids = json(gw.get("/v1/models").body()).get("data").findValuesAsText("id");
        assertThat(ids).contains("task", "cascade", "floored", "fast", "steady");
    }

    @Test
    void badHintsAre400() {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("task", "hi"), "x-triage-quality", "excellent");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).at("/error/param").asText()).isEqualTo("x-triage-quality");
    }

    static Money usd(String s) {
        return Money.ofUsd(s);
    }
}
