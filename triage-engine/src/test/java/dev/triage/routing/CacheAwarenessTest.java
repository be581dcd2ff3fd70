package dev.triage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Complexity;
import dev.triage.analysis.QualityRequirement;
import dev.triage.analysis.TaskProfile;
import dev.triage.analysis.TaskType;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.caching.InMemorySessionStore;
import dev.triage.caching.SessionState;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.PromptCache;
import dev.triage.scoring.ScorerSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A conversation stays on the model that holds its cache while that is cheaper than the policy's move. */
class CacheAwarenessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    // strong: $3 in, $0.30 cached, $15 out; mid: $2 / $0.50 / $8; cheap: $0.10 / $0.025 / $0.40
    private static final PriceCatalog CATALOG = new PriceCatalog(List.of(
            model("strong", "3", "0.3", "15"), model("mid", "2", "0.5", "8"), model("cheap", "0.1", "0.025", "0.4")));

    private static ModelInfo model(String id, String in, String cached, String out) {
        return new ModelInfo(id, "p", id, new Price(new java.math.BigDecimal(in), new java.math.BigDecimal(out),
                new java.math.BigDecimal(cached), null), 200_000, 8192, null, null, List.of());
    }

    private final InMemorySessionStore sessions = new InMemorySessionStore(100);
    private TaskType task = TaskType.CLASSIFICATION;
    private int promptTokens = 10_000;

    private final TaskRouteSpec route = new TaskRouteSpec("task", Map.of(
            TaskType.CLASSIFICATION, new TaskRouteSpec.Rule("mid", null, "cheap", null, null, false),
            TaskType.SUMMARIZATION, new TaskRouteSpec.Rule("cheap", null, null, null, null, false),
            TaskType.REASONING, new TaskRouteSpec.Rule("strong", null, null, null, null, false)),
            TaskType.CLASSIFICATION, ScorerSpec.HEURISTIC, QualityFloor.NONE);

    private Router router() {
        return new Router(Map.of("task", route), CATALOG, id -> true,
                (req, hints) -> new TaskProfile(promptTokens, task, Complexity.LOW, QualityRequirement.STANDARD, null, 0.9, false),
                new InMemoryBudgetStore(), Clock.fixed(NOW, ZoneOffset.UTC), sessions);
    }

    private static ChatRequest request(String session) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "task");
        body.put("max_tokens", 500);
        body.putArray("messages").addObject().put("role", "user").put("content", "hi");
        return new ChatRequest(body, new PromptCache(true, session, PromptCache.Ttl.FIVE_MINUTES));
    }

    @Test
    void aConversationStaysOnTheStrongerModelThatHoldsItsCacheWhenThatIsCheaper() {
        sessions.put("s1", new SessionState("strong", NOW.minusSeconds(60), 9_500));
        Decision d = router().decide("task", request("s1"), null);
        // stay: 9,500 x $0.30 + 500 x $3 + 500 x $15 = $0.01185; move: 10,000 x $2 + 500 x $8 = $0.024
        assertThat(d.firstModel()).isEqualTo("strong");
        assertThat(d.steps().getFirst().models()).containsExactly("strong", "mid");
        assertThat(d.reasons().getLast()).isEqualTo("cache-aware: stays on strong, whose cache holds ~9500 of this turn's ~10000"
                + " prompt tokens (est. $0.01185 there vs $0.024 on mid)");
    }

    @Test
    void aMoveThatSavesMoreThanTheCacheIsWorthIsKept() {
        task = TaskType.SUMMARIZATION; // cheap: 10,000 x $0.10 + 500 x $0.40 = $0.0012
        sessions.put("s1", new SessionState("strong", NOW.minusSeconds(60), 9_500));
        Decision d = router().decide("task", request("s1"), null);
        assertThat(d.firstModel()).isEqualTo("cheap");
        assertThat(d.reasons().getLast()).startsWith("cache-aware: moving from strong to cheap costs less even without strong's cache");
    }

    @Test
    void neverMovesDownToAWeakerWarmModelNorUsesACacheThatHasExpired() {
        task = TaskType.REASONING;
        sessions.put("weak", new SessionState("cheap", NOW.minusSeconds(60), 9_500));
        assertThat(router().decide("task", request("weak"), null).firstModel()).isEqualTo("strong");

        task = TaskType.CLASSIFICATION;
        sessions.put("old", new SessionState("strong", NOW.minusSeconds(301), 9_500));
        Decision d = router().decide("task", request("old"), null);
        assertThat(d.firstModel()).isEqualTo("mid");
        assertThat(d.reasons()).noneMatch(r -> r.startsWith("cache-aware"));

        ChatRequest hour = request("old").withCache(new PromptCache(true, "old", PromptCache.Ttl.ONE_HOUR));
        assertThat(router().decide("task", hour, null).firstModel()).isEqualTo("strong");
        assertThat(router().decide("task", request("old").withCache(PromptCache.OFF), null).firstModel()).isEqualTo("mid");
    }

    @Test
    void aCascadeStartsAtTheStageThatHoldsTheCache() {
        List<Step> steps = List.of(new Step("stage 1/2", List.of("cheap"), 0.9, null, false),
                new Step("stage 2/2", List.of("strong", "mid"), null, null, false));
        assertThat(CacheAwareness.stayOn(steps, "strong")).containsExactly(new Step("stage 2/2", List.of("strong", "mid"), null, null, false));
        assertThat(CacheAwareness.stayOn(steps, "mid").getFirst().models()).containsExactly("mid", "strong");
        assertThat(CacheAwareness.stayOn(List.of(Step.of("cheap")), "strong").getFirst().models()).containsExactly("strong", "cheap");
    }

    @Test
    void theAnsweringModelIsRecordedForTheNextTurn() {
        Router r = router();
        r.answered(request("s9"), "mid", 1234);
        assertThat(sessions.get("s9")).contains(new SessionState("mid", NOW, 1234));
        r.answered(request("s8").withCache(PromptCache.OFF), "mid", 5000);
        assertThat(sessions.get("s8")).isEmpty();
        // below any provider's caching threshold nothing is worth remembering
        r.answered(request("s7"), "mid", 1023);
        assertThat(sessions.get("s7")).isEmpty();
        promptTokens = 1000;
        sessions.put("s6", new SessionState("strong", NOW.minusSeconds(60), 900));
        assertThat(router().decide("task", request("s6"), null).firstModel()).isEqualTo("mid");
    }
}
