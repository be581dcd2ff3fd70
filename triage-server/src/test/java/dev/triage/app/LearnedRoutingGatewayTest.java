package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import dev.triage.testing.HashingEmbedder;
import dev.triage.testing.SyntheticOutcomes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both learned policies live: HTTP in, a model file trained on synthetic outcomes of {@code fast} (the
 * primary upstream, cheap) and {@code steady} (the backup upstream, dear), fake upstreams speaking the
 * OpenAI wire format, ledger out.
 */
class LearnedRoutingGatewayTest {

    static final String ROUTES = """
            routes:
              smart: {policy: learned, model_file: router.bin}
              thrifty: {policy: learned, model_file: router.bin, tolerance: 1}
              valued: {policy: learned, model_file: router.bin, price_weight: 0.2}
              miserly: {policy: learned, model_file: router.bin, price_weight: 100}
              checked:
                policy: cascade
                scorer: {kind: learned, model_file: router.bin}
                stages:
                  - {model: fast, accept_confidence: 0.5}
                  - {model: steady}
            """;

    static final String EASY = "Hello there!";
    static final String HARD = "Prove that the integral of sin(x) from 0 to 2 pi is zero.";

    @TempDir
    static Path dir;

    private GatewayHarness gw;

    private static final double ACCEPT = 0.5; // the cascade stage's accept_confidence in the config above

    @BeforeAll
    static void train() {
        SyntheticOutcomes.writeModelFile(dir.resolve("router.bin"), "fast", "steady");
    }

    @BeforeEach
    void start() {
        gw = new GatewayHarness(ROUTES, dir, OnDemandEmbedder.of(new HashingEmbedder()));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** The scorer's confidence in {@code model}'s answer, from {@code x-triage-confidence: fast=0.180}. */
    private static double confidence(HttpResponse<String> r, String model) {
        for (String pair : r.headers().firstValue("x-triage-confidence").orElseThrow().split(",")) {
            if (pair.startsWith(model + "=")) {
                return Double.parseDouble(pair.substring(model.length() + 1));
            }
        }
        throw new AssertionError("no confidence for " + model);
    }

    /** {@code x-triage-predicted-quality: a=0.91,b=0.12} as a map, in the header's order. */
    private static Map<String, Double> predicted(HttpResponse<String> r) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String pair : r.headers().firstValue("x-triage-predicted-quality").orElseThrow().split(",")) {
            String[] kv = pair.split("=");
            out.put(kv[0], Double.parseDouble(kv[1]));
        }
        return out;
    }

    @Test
    void anEasyPromptGoesToTheCheapModel() {
        gw.primary.enqueue(Completions.text("Hi! How can I help?"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("smart", EASY));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(r.headers().firstValue("x-triage-route")).hasValue("smart");
        assertThat(r.headers().firstValue("x-triage-policy")).hasValue("learned");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000027");
        Map<String, Double> q = predicted(r);
        assertThat(q.keySet()).containsExactly("fast", "steady");
        assertThat(q.get("fast")).isGreaterThanOrEqualTo(q.get("steady") - 0.05);
        assertThat(gw.ledgerOf(r)).singleElement().satisfies(e -> {
            assertThat(e.route()).isEqualTo("smart");
            assertThat(e.model()).isEqualTo("fast");
            assertThat(e.step()).isNull();
            assertThat(e.decision()).startsWith("learned smart: ").contains("-> fast>steady")
                    .contains("predicted quality fast ").contains("(model file router.bin)")
                    .contains("cheapest within tolerance 0.05 of every dearer candidate: fast");
        });
    }

    @Test
    void aHardPromptGoesToTheStrongModel() {
        gw.backup.enqueue(Completions.text("Since sin is odd about pi, the two halves cancel."));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("smart", HARD));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(gw.primary.getRequestCount()).isZero();
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000073");
        Map<String, Double> q = predicted(r);
        assertThat(q.keySet()).containsExactly("steady", "fast");
        assertThat(q.get("steady") - q.get("fast")).isGreaterThan(0.5);
        assertThat(gw.ledgerOf(r)).singleElement().satisfies(e -> {
            assertThat(e.model()).isEqualTo("steady");
            assertThat(e.decision()).contains("-> steady>fast").contains("predicted quality steady ")
                    .contains("cheapest within tolerance 0.05 of every dearer candidate: steady; errors and timeouts go to fast");
        });
    }

    @Test
    void toleranceOneAlwaysTakesTheCheapestCandidate() {
        gw.primary.enqueue(Completions.text("It holds by symmetry."));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("thrifty", HARD));

        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(gw.backup.getRequestCount()).isZero();
        // the prediction is the same; only the route's tolerance differs
        assertThat(predicted(r).get("steady") - predicted(r).get("fast")).isGreaterThan(0.5);
        assertThat(gw.ledgerOf(r).getFirst().decision()).contains("cheapest within tolerance 1.0 of every dearer candidate: fast");
    }

    @Test
    void aPriceWeightTradesPredictedQualityAgainstPrice() {
        // the dear model is predicted better by more than 0.5: worth a weight of 0.2 on its whole price, not one of 100
        gw.backup.enqueue(Completions.text("Since sin is odd about pi, the two halves cancel."));
        HttpResponse<String> worth = gw.post("/v1/chat/completions", GatewayHarness.ask("valued", HARD));
        assertThat(worth.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(predicted(worth).get("steady") - predicted(worth).get("fast")).isGreaterThan(0.5);
        assertThat(gw.ledgerOf(worth).getFirst().decision())
                .contains("highest predicted quality less 0.2 x its share of the dearest candidate's price: steady");

        gw.primary.enqueue(Completions.text("It holds by symmetry."));
        HttpResponse<String> cheap = gw.post("/v1/chat/completions", GatewayHarness.ask("miserly", HARD));
        assertThat(cheap.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(gw.ledgerOf(cheap).getFirst().decision())
                .contains("highest predicted quality less 100.0 x its share of the dearest candidate's price: fast");
        assertThat(gw.ledgerOf(cheap).getFirst().cost().picos()).isPositive();
    }

    @Test
    void aFailingCandidateFallsBackToTheNextOneAndEveryAttemptIsInTheLedger() {
        MockResponse overloaded = OpenAiWire.json(503,
                "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        gw.backup.enqueue(overloaded);
        gw.backup.enqueue(overloaded);
        gw.primary.enqueue(Completions.text("By symmetry the integral is zero."));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("smart", HARD));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("steady,fast");
        assertThat(gw.backup.getRequestCount()).isEqualTo(2); // the first call and its one retry
        List<LedgerEntry> rows = gw.ledgerOf(r);
        assertThat(rows).extracting(LedgerEntry::model).containsExactly("steady", "steady", "fast");
        assertThat(rows).extracting(LedgerEntry::status).containsExactly(AttemptStatus.ERROR, AttemptStatus.ERROR, AttemptStatus.OK);
    }

    @Test
    void aStreamedRequestIsRoutedTheSameWay() {
        gw.backup.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"smart\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":"
                + OpenAiWire.JSON.valueToTree(HARD) + "}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("x-triage-policy")).hasValue("learned");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(predicted(r).keySet()).containsExactly("steady", "fast");
        assertThat(r.body()).contains("Hello").contains("\"route\":\"smart\"").endsWith("data: [DONE]\n\n");
        assertThat(gw.primary.getRequestCount()).isZero();
        assertThat(gw.ledgerOf(r)).singleElement().satisfies(e -> {
            assertThat(e.model()).isEqualTo("steady");
            assertThat(e.stream()).isTrue();
        });
    }

    @Test
    void theLearnedCascadeAcceptsACheapAnswerWhoseWorkingIsRight() {
        gw.primary.enqueue(Completions.text("40 + 35 = 75. The answer is 75."));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("checked", "Add 40 and 35: what is 40 + 35."));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-policy")).hasValue("cascade");
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(confidence(r, "fast")).isGreaterThanOrEqualTo(ACCEPT);
        assertThat(json(r.body()).at("/choices/0/message/content").asText()).isEqualTo("40 + 35 = 75. The answer is 75.");
        assertThat(gw.ledgerOf(r)).singleElement().satisfies(e -> {
            assertThat(e.step()).isEqualTo("stage 1/2");
            assertThat(e.decision()).contains("2 stages, scorer learned");
        });
    }

    @Test
    void theLearnedCascadeEscalatesACheapAnswerWithAWrongSum() {
        gw.primary.enqueue(Completions.text("40 + 35 = 85. The answer is 85."));
        gw.backup.enqueue(Completions.text("40 + 35 = 75. The answer is 75."));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("checked", "Add 40 and 35: what is 40 + 35."));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        // the cheap answer's confidence is in the response; the last stage is never scored
        assertThat(r.headers().firstValue("x-triage-confidence").orElseThrow()).matches("fast=0\\.\\d{3}");
        assertThat(confidence(r, "fast")).isLessThan(ACCEPT);
        // both calls are paid for: fast $0.000027 + steady $0.000073
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.0001");
        assertThat(json(r.body()).at("/choices/0/message/content").asText()).contains("75");
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::step).containsExactly("stage 1/2", "stage 2/2");
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::model).containsExactly("fast", "steady");
    }

    @Test
    void theLearnedCascadeEscalatesACheapAnswerCutOffAtTheTokenLimit() {
        gw.primary.enqueue(Completions.cutOff("Adding them step by step: 40 + 35 ="));
        gw.backup.enqueue(Completions.text("40 + 35 = 75. The answer is 75."));
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.ask("checked", "Add 40 and 35: what is 40 + 35."));

        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        assertThat(gw.ledgerOf(r)).extracting(LedgerEntry::step).containsExactly("stage 1/2", "stage 2/2");
    }

    @Test
    void theAppClosesTheEmbedderOnShutdown() {
        HashingEmbedder own = new HashingEmbedder();
        try (GatewayHarness other = new GatewayHarness(ROUTES, dir, OnDemandEmbedder.of(own))) {
            assertThat(own.closed()).isFalse();
        }
        assertThat(own.closed()).isTrue();
    }

    @Test
    void aGatewayWithoutLearnedRoutesNeverLoadsTheEmbedder() {
        OnDemandEmbedder unused = OnDemandEmbedder.of(new HashingEmbedder());
        try (GatewayHarness plain = new GatewayHarness("routes:\n  c: {policy: cascade, stages: [{model: fast}]}\n", dir, unused)) {
            plain.primary.enqueue(Completions.text("hi"));
            assertThat(plain.post("/v1/chat/completions", GatewayHarness.ask("c", EASY)).statusCode()).isEqualTo(200);
        }
        assertThat(unused.asked()).isFalse();
    }
}
