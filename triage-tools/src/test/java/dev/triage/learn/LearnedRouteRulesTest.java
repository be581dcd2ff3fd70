package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.routing.Decision;
import dev.triage.routing.LearnedRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.Router;
import dev.triage.testing.HashingEmbedder;
import dev.triage.tokens.TokenEstimator;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two decision rules of a learned route among three models of very different prices, checked
 * against the rules worked out here from the model's own predictions: the tolerance rule (the cheapest
 * model no dearer one is predicted to beat by more than t) and the price-weighted rule (highest
 * predicted quality less w × the price as a share of the dearest).
 */
class LearnedRouteRulesTest {

    /** $0.10, $0.20 and $1.00 per million tokens, in and out. */
    static final Map<String, String> PRICES = Map.of("cheap", "0.05", "middle", "0.10", "dear", "0.50");
    static final List<String> MODELS = List.of("cheap", "middle", "dear");
    static final double[] SHARE = {0.1, 0.2, 1.0};
    static final List<String> PROMPTS = List.of("What is the capital of France?", "Prove that there are infinitely many primes.",
            "Write a sonnet about the sea.", "Solve 3x + 7 = 22 for x.", "Translate 'good morning' into Spanish.");
    static LearnedModel model;

    @BeforeAll
    static void train() {
        // three kinds of prompt: every model suffices; the cheap one fails, the middle one mostly does and the dear one
        // does; the cheap one often does and the other two mostly do
        List<Example> examples = new ArrayList<>();
        String[] topics = {"capital city of a country", "proof about prime numbers", "translate a greeting"};
        double[][] scores = {{1, 1, 1}, {0, 0.7, 1}, {0.6, 0.9, 0.9}};
        for (int i = 0; i < 90; i++) {
            int kind = i % 3;
            double[] s = scores[kind];
            examples.add(new Example("e" + i, topics[kind] + " number " + i, Map.of(
                    "cheap", new Example.Outcome(i % 7 == 0 ? 1 - s[0] : s[0], "a", "stop"),
                    "middle", new Example.Outcome(s[1], "a", "stop"),
                    "dear", new Example.Outcome(s[2], "a", "stop"))));
        }
        model = new Trainer(new HashingEmbedder(), new TrainingSettings(10, 1, 10), Clock.systemUTC())
                .train(examples, new Trainer.Source("three prices", null), n -> { });
    }

    private static Router router(LearnedRouteSpec route) {
        return router(route, id -> true);
    }

    private static Router router(LearnedRouteSpec route, Predicate<String> servable) {
        List<ModelInfo> models = new ArrayList<>();
        PRICES.forEach((id, p) -> models.add(new ModelInfo(id, "test", id, Price.of(p, p), 0, 0, null, "test", List.of())));
        return new Router(Map.of("r", route), new PriceCatalog(models), servable, new TaskAnalyzer(new TokenEstimator())::analyze,
                new InMemoryBudgetStore(), Clock.systemUTC());
    }

    private static ChatRequest ask(String prompt) {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("model", "r");
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return new ChatRequest(body);
    }

    private static String chosen(LearnedRouteSpec route, String prompt) {
        Decision d = router(route).decide("r", ask(prompt), Hints.NONE);
        return d.steps().getFirst().models().getFirst();
    }

    private static Map<String, Double> predicted(String prompt) {
        return model.predictQuality(PromptText.of(ask(prompt).messages()));
    }

    @Test
    void thePriceWeightedRuleTakesTheBestPredictedValueForMoney() {
        for (double w : new double[] {0, 0.02, 0.05, 0.1, 0.2, 0.4, 1}) {
            LearnedRouteSpec route = new LearnedRouteSpec("r", model, "test", MODELS, new LearnedRouteSpec.PriceWeighted(w), QualityFloor.NONE);
            for (String prompt : PROMPTS) {
                Map<String, Double> q = predicted(prompt);
                int best = 0;
                for (int i = 1; i < 3; i++) {
                    double value = q.get(MODELS.get(i)) - w * SHARE[i];
                    if (value > q.get(MODELS.get(best)) - w * SHARE[best]) {
                        best = i;
                    }
                }
                assertThat(chosen(route, prompt)).as("w=%s on %s with predictions %s", w, prompt, q).isEqualTo(MODELS.get(best));
            }
        }
    }

    @Test
    void theToleranceRuleTakesTheCheapestThatNoDearerModelBeatsByMoreThanT() {
        for (double t : new double[] {-0.1, 0, 0.05, 0.1, 0.3}) {
            LearnedRouteSpec route = new LearnedRouteSpec("r", model, "test", MODELS, t, QualityFloor.NONE);
            for (String prompt : PROMPTS) {
                Map<String, Double> q = predicted(prompt);
                String expected = "dear";
                if (q.get("cheap") >= Math.max(q.get("middle"), q.get("dear")) - t) {
                    expected = "cheap";
                } else if (q.get("middle") >= q.get("dear") - t) {
                    expected = "middle";
                }
                assertThat(chosen(route, prompt)).as("t=%s on %s with predictions %s", t, prompt, q).isEqualTo(expected);
            }
        }
    }

    @Test
    void aPriceWeightTakesAPriceStepOnlyWhereThePredictedGainIsWorthIt() {
        // a prompt of the kind where the middle model gains 0.7 over the cheap one for 0.1 of the dearest price,
        // and the dear one 0.3 more for 0.8: at weight 0.5 the first step is worth it and the second is not, while
        // weight 0 takes the best predicted whatever it costs
        String prompt = "proof about prime numbers number 1000";
        Map<String, Double> q = predicted(prompt);
        assertThat(q.get("middle") - q.get("cheap")).isGreaterThan(0.3);
        assertThat(chosen(new LearnedRouteSpec("r", model, "test", MODELS, new LearnedRouteSpec.PriceWeighted(0.5), QualityFloor.NONE), prompt)).isEqualTo("middle");
        assertThat(chosen(new LearnedRouteSpec("r", model, "test", MODELS, new LearnedRouteSpec.PriceWeighted(0), QualityFloor.NONE), prompt)).isEqualTo("dear");
        Decision d = router(new LearnedRouteSpec("r", model, "test", MODELS, new LearnedRouteSpec.PriceWeighted(0.5), QualityFloor.NONE)).decide("r", ask(prompt), Hints.NONE);
        assertThat(d.reasons()).anySatisfy(r -> assertThat(r).contains("less 0.5 x its share of the dearest candidate's price: middle"));
    }

    @Test
    void aWeightMeansTheSameWhenTheDearestCandidateIsNotServed() {
        // shares stay those of the whole candidate list (0.1 and 0.2 of the dear model's price), not 0.5 and 1
        for (double w : new double[] {0.1, 0.5, 1, 2, 4}) {
            LearnedRouteSpec route = new LearnedRouteSpec("r", model, "test", MODELS, new LearnedRouteSpec.PriceWeighted(w), QualityFloor.NONE);
            for (String prompt : PROMPTS) {
                Map<String, Double> q = predicted(prompt);
                String expected = q.get("middle") - w * SHARE[1] > q.get("cheap") - w * SHARE[0] ? "middle" : "cheap";
                Decision d = router(route, id -> !id.equals("dear")).decide("r", ask(prompt), Hints.NONE);
                assertThat(d.steps().getFirst().models()).as("w=%s on %s with predictions %s", w, prompt, q)
                        .startsWith(expected).doesNotContain("dear");
            }
        }
    }

    @Test
    void priceSharesAreRatiosToTheDearestAndZeroWhenEverythingIsFree() {
        double[] shares = LearnedRouteSpec.priceShares(List.of(new BigDecimal("0.2"), new BigDecimal("0.9"),
                BigDecimal.ZERO));
        assertThat(shares[0]).isCloseTo(0.2 / 0.9, offset(1e-12));
        assertThat(shares[1]).isEqualTo(1.0);
        assertThat(shares[2]).isEqualTo(0.0);
        assertThat(LearnedRouteSpec.priceShares(List.of(BigDecimal.ZERO, BigDecimal.ZERO))).containsExactly(0.0, 0.0);
    }
}
