package dev.triage.routing;

import dev.triage.scoring.ScorerSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Complexity;
import dev.triage.analysis.Hints;
import dev.triage.analysis.QualityRequirement;
import dev.triage.analysis.TaskProfile;
import dev.triage.analysis.TaskType;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PriceCatalog CATALOG = new PriceCatalog(List.of(
            model("cheap", "0.1", "0.4", 32_000),
            model("mid", "3", "15", 200_000),
            model("top", "75", "150", 128_000),
            model("huge", "1", "2", 2_000_000),
            model("offline", "0.05", "0.1", 32_000)));

    private static ModelInfo model(String id, String in, String out, int context) {
        return new ModelInfo(id, "p", id, Price.of(in, out), context, 4096, null, null, List.of());
    }

    private TaskProfile profile = new TaskProfile(100, TaskType.CHAT, Complexity.LOW, QualityRequirement.STANDARD, null, 0.9, false);

    private Router router(RouteSpec... routes) {
        Map<String, RouteSpec> map = new java.util.HashMap<>();
        for (RouteSpec r : routes) {
            map.put(r.name(), r);
        }
        return new Router(map, CATALOG, id -> !id.equals("offline"), (req, hints) -> profile, new InMemoryBudgetStore(),
                Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC));
    }

    private static ChatRequest request(String model) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "hi");
        return new ChatRequest(body);
    }

    private static TaskRouteSpec taskRoute(QualityFloor floor) {
        return new TaskRouteSpec("task", Map.of(
                TaskType.CLASSIFICATION, new TaskRouteSpec.Rule("cheap", 0.85, "mid", null, null, false),
                TaskType.SUMMARIZATION, new TaskRouteSpec.Rule("mid", null, null, 5000, null, false),
                TaskType.REASONING, new TaskRouteSpec.Rule("top", null, "mid", null, Duration.ofSeconds(1), true)),
                TaskType.SUMMARIZATION, ScorerSpec.HEURISTIC, floor);
    }

    private static TieredRouteSpec tiered(QualityFloor floor, Money lowBudget) {
        return new TieredRouteSpec("tiered", List.of(
                new TieredRouteSpec.Tier("high", List.of("top"), Money.ofUsd("500")),
                new TieredRouteSpec.Tier("medium", List.of("mid", "offline"), Money.ofUsd("1000")),
                new TieredRouteSpec.Tier("low", List.of("cheap"), lowBudget)), ZoneOffset.UTC, floor);
    }

    @Test
    void aTaskTypeWithoutARuleUsesTheDefaultRule() {
        Decision d = router(taskRoute(QualityFloor.NONE)).decide("task", request("task"), Hints.NONE);
        assertThat(d.policy()).isEqualTo("task");
        assertThat(d.steps()).extracting(Step::models).containsExactly(List.of("mid"));
        assertThat(d.reasons().getFirst()).isEqualTo("no rule for chat: the default rule (summarization) applies");
    }

    @Test
    void aThresholdMakesTwoStepsAndThinkingAndLatencyCarryOver() {
        profile = new TaskProfile(100, TaskType.CLASSIFICATION, Complexity.LOW, QualityRequirement.STANDARD, null, 1, true);
        Decision d = router(taskRoute(QualityFloor.NONE)).decide("task", request("task"), Hints.NONE);
        assertThat(d.steps()).containsExactly(new Step(null, List.of("cheap"), 0.85, null, false),
                new Step("fallback", List.of("mid"), null, null, false));

        profile = new TaskProfile(100, TaskType.REASONING, Complexity.HIGH, QualityRequirement.STANDARD, null, 1, true);
        Step first = router(taskRoute(QualityFloor.NONE)).decide("task", request("task"), Hints.NONE).steps().getFirst();
        assertThat(first.thinking()).isTrue();
        assertThat(first.latencyBudget()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void inputOverTheLimitWithoutFallbackGoesToTheCheapestModelWithALargerContext() {
        profile = new TaskProfile(40_000, TaskType.SUMMARIZATION, Complexity.MEDIUM, QualityRequirement.STANDARD, null, 1, true);
        Decision d = router(taskRoute(QualityFloor.NONE)).decide("task", request("task"), Hints.NONE);
        // cheap (32k) cannot take it; huge ($3/M together) is cheaper than mid ($18/M) and top
        assertThat(d.steps()).extracting(Step::models).containsExactly(List.of("huge"));
    }

    @Test
    void theTierFollowsComplexityAndQuality() {
        Router r = router(tiered(QualityFloor.NONE, Money.ofUsd("10000")));
        assertThat(r.decide("tiered", request("tiered"), Hints.NONE).tier()).isEqualTo("low");
        profile = new TaskProfile(100, TaskType.REASONING, Complexity.MEDIUM, QualityRequirement.STANDARD, null, 1, false);
        assertThat(r.decide("tiered", request("tiered"), Hints.NONE).tier()).isEqualTo("medium");
        profile = new TaskProfile(100, TaskType.REASONING, Complexity.HIGH, QualityRequirement.HIGH, null, 1, false);
        Decision high = r.decide("tiered", request("tiered"), Hints.NONE);
        assertThat(high.tier()).isEqualTo("high");
        assertThat(high.downgraded()).isFalse();
        // a tier whose reservation failed is skipped: the next one is a downgrade
        Decision down = r.decide("tiered", request("tiered"), Hints.NONE, Set.of("high"));
        assertThat(down.tier()).isEqualTo("medium");
        assertThat(down.downgraded()).isTrue();
        assertThat(down.steps().getFirst().models()).containsExactly("mid"); // offline model left out
    }

    @Test
    void aTierFloorRaisesLowRequestsAndStopsDowngrades() {
        Router r = router(tiered(new QualityFloor.Tier("medium"), Money.ofUsd("10000")));
        Decision d = r.decide("tiered", request("tiered"), Hints.NONE);
        assertThat(d.tier()).isEqualTo("medium");
        assertThat(d.reasons()).contains("raised to the quality floor, tier medium");
        assertThatThrownBy(() -> r.decide("tiered", request("tiered"), Hints.NONE, Set.of("medium")))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("budget_exhausted");
                    assertThat(e.getMessage()).contains("down to the quality floor (tier medium)");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(12));
                });
    }

    @Test
    void aModelFloorDropsCheaperCascadeStagesAndTheLastStageAlwaysAnswers() {
        CascadeRouteSpec cascade = new CascadeRouteSpec("cascade", List.of(
                new CascadeRouteSpec.Stage("cheap", 0.9), new CascadeRouteSpec.Stage("mid", 0.7), new CascadeRouteSpec.Stage("top", null)),
                ScorerSpec.HEURISTIC, QualityFloor.NONE);
        assertThat(router(cascade).decide("cascade", request("cascade"), Hints.NONE).steps())
                .extracting(Step::label, Step::acceptConfidence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stage 1/3", 0.9), org.assertj.core.groups.Tuple.tuple("stage 2/3", 0.7),
                        org.assertj.core.groups.Tuple.tuple("stage 3/3", null));
        CascadeRouteSpec floored = new CascadeRouteSpec("cascade", List.of(
                new CascadeRouteSpec.Stage("cheap", 0.9), new CascadeRouteSpec.Stage("mid", 0.7)),
                ScorerSpec.HEURISTIC, new QualityFloor.Model("mid"));
        Decision d = router(floored).decide("cascade", request("cascade"), Hints.NONE);
        assertThat(d.steps()).containsExactly(new Step("stage 2/2", List.of("mid"), null, null, false));
        assertThat(d.reasons()).contains("cheap is below the quality floor (mid)");
    }

    @Test
    void aConcreteModelIsPlannedAsIs() {
        Decision d = router().decide("mid", request("mid"), Hints.NONE);
        assertThat(d.policy()).isEqualTo("model");
        assertThat(d.firstModel()).isEqualTo("mid");
        assertThat(d.summary()).startsWith("model mid: task=chat (0.90), complexity=low");
    }

    @Test
    void theWorstCaseOfAPlanCountsEveryModelsPromptAndItsDearestAnswer() {
        ModelInfo first = new ModelInfo("first", "p", "first", Price.of("1", "2"), 100_000, 1_000, null, null, List.of("second"));
        ModelInfo second = new ModelInfo("second", "p", "second", Price.of("3", "10"), 100_000, 500, null, null, List.of());
        ObjectNode body = JSON.createObjectNode().put("model", "first");
        body.putArray("messages").addObject().put("role", "user").put("content", "x".repeat(1_000));

        Money worst = Router.worstCase(List.of(first, second), new ChatRequest(body));

        // a prompt of 1,028 tokens at most (1,000 bytes, "user", framing): billed by first (it may time out) and
        // by second; the dearest answer is second's 500 tokens at $10/M
        assertThat(worst).isEqualTo(Money.ofUsd("0.001028").plus(Money.ofUsd("0.003084")).plus(Money.ofUsd("0.005")));
    }

    @Test
    void aPromptThatMayCrossALongContextThresholdReservesTheTiersPricesForPromptAndAnswer() {
        // $1 / $2 per 1M tokens, $4 / $8 above 500 prompt tokens.
        Price tiered = Price.of("1", "2").withLongContext(new Price.LongContext(500, Price.of("4", "8")));
        ModelInfo model = new ModelInfo("long", "p", "long", tiered, 100_000, 1_000, null, null, List.of());
        ObjectNode body = JSON.createObjectNode().put("model", "long");
        body.putArray("messages").addObject().put("role", "user").put("content", "x".repeat(1_000));

        Money worst = Router.worstCase(List.of(model), new ChatRequest(body));

        // the same 1,028-token prompt bound, above 500: 1,028 x $4/M plus 1,000 answer tokens at $8/M (not $2/M)
        assertThat(worst).isEqualTo(Money.ofUsd("0.004112").plus(Money.ofUsd("0.008")));
    }

    @Test
    void aTierThatCannotTakeTheWorstCaseSaysSo() {
        profile = new TaskProfile(100, TaskType.REASONING, Complexity.HIGH, QualityRequirement.HIGH, null, 1, true);
        Router router = router(tiered(QualityFloor.NONE, Money.ofUsd("0.01")));
        Decision d = router.decide("tiered", request("tiered"), Hints.NONE, Set.of("high"));
        assertThat(d.tier()).isEqualTo("medium");
        assertThat(d.reasons()).contains("tier high budget cannot take this request's worst case ($0 of $500 committed today)");
    }
}
