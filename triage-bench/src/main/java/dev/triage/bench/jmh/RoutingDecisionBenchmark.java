package dev.triage.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.analysis.TaskType;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.Decision;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.Router;
import dev.triage.scoring.ScorerSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TieredRouteSpec;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Analysis plus routing decision per request (no model call), on the design's three policies, for a
 * ~2,000-token prompt. Run: {@code java -jar triage-bench/target/triage-bench.jar RoutingDecisionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingDecisionBenchmark {

    @Param({"task", "tiered", "cascade"})
    public String route;

    private Router router;
    private ChatRequest request;

    @Setup
    public void setUp() {
        PriceCatalog catalog = PriceCatalog.builtIn();
        TokenEstimator tokens = new TokenEstimator();
        Map<String, RouteSpec> routes = Map.of(
                "task", new TaskRouteSpec("task", Map.of(
                        TaskType.CLASSIFICATION, new TaskRouteSpec.Rule("gemini-2.0-flash", 0.85, "claude-3.5-sonnet", null, null, false),
                        TaskType.SUMMARIZATION, new TaskRouteSpec.Rule("claude-3.5-sonnet", null, "gpt-4.1", 5000, null, false),
                        TaskType.REASONING, new TaskRouteSpec.Rule("gpt-4.5", null, "claude-3.7-sonnet", null, null, true)),
                        TaskType.SUMMARIZATION, ScorerSpec.HEURISTIC, QualityFloor.NONE),
                "tiered", new TieredRouteSpec("tiered", List.of(
                        new TieredRouteSpec.Tier("high", List.of("claude-3.7-sonnet", "gpt-4.5"), Money.ofUsd("500")),
                        new TieredRouteSpec.Tier("medium", List.of("claude-3.5-sonnet", "gpt-4.1"), Money.ofUsd("1000")),
                        new TieredRouteSpec.Tier("low", List.of("gemini-2.0-flash", "gpt-4.1-mini"), Money.ofUsd("10000"))),
                        ZoneOffset.UTC, QualityFloor.NONE),
                "cascade", new CascadeRouteSpec("cascade", List.of(
                        new CascadeRouteSpec.Stage("gemini-2.0-flash", 0.9), new CascadeRouteSpec.Stage("claude-3.5-sonnet", 0.7),
                        new CascadeRouteSpec.Stage("gpt-4.5", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE));
        router = new Router(routes, catalog, id -> true, new TaskAnalyzer(tokens)::analyze, new InMemoryBudgetStore(), Clock.systemUTC());
        String paragraph = "Our quarterly review covers revenue growth in the EMEA region, the hiring plan for the platform team, "
                + "delays in the mobile release caused by the payments integration, and customer feedback on onboarding. ";
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("model", route);
        body.putArray("messages").addObject().put("role", "user")
                .put("content", "Summarize the following report for the leadership team:\n" + paragraph.repeat(60));
        request = new ChatRequest(body);
    }

    @Benchmark
    public Decision analyseAndDecide() {
        return router.decide(route, request, Hints.NONE);
    }
}
