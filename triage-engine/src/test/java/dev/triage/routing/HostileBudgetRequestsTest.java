package dev.triage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.Deadline;
import dev.triage.provider.http.UpstreamHttp;
import dev.triage.provider.openai.BillingOpenAiUpstream;
import dev.triage.provider.openai.OpenAiProvider;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The budget attacks, concurrently, through the whole path (router, executor, dispatcher, the
 * OpenAI provider) against an upstream that bills tool schemas and every choice of {@code n} the way
 * OpenAI does: tier {@code {models: [gpt-4.1], daily_budget_usd: 0.01}} must not be overspent.
 */
class HostileBudgetRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Money LIMIT = Money.ofUsd("0.01");

    private final TokenEstimator tokens = new TokenEstimator();
    private final BillingOpenAiUpstream upstream = new BillingOpenAiUpstream(32_768);
    private final ConcurrentLinkedQueue<LedgerEntry> ledger = new ConcurrentLinkedQueue<>();
    private final RouteExecutor executor;
    private final ModelInfo gpt41;

    HostileBudgetRequestsTest() {
        gpt41 = PriceCatalog.builtIn().find("gpt-4.1").orElseThrow();
        PriceCatalog catalog = new PriceCatalog(List.of(gpt41));
        ResilienceSettings s = ResilienceSettings.defaults();
        Dispatcher dispatcher = new Dispatcher(
                Map.of("openai", new OpenAiProvider("openai", upstream.baseUrl(), "sk-test-0123456789abcdef0123", Map.of(),
                        UpstreamHttp.withDefaults())),
                catalog, s, new BreakerRegistry(5, s.breakerOpen(), System::nanoTime),
                new Backoff(s.backoffInitial(), s.backoffMax(), () -> 0.5), Dispatcher.Sleeper.SYSTEM, ledger::add, tokens,
                Clock.systemUTC());
        TieredRouteSpec route = new TieredRouteSpec("tiered",
                List.of(new TieredRouteSpec.Tier("only", List.of("gpt-4.1"), LIMIT)), ZoneOffset.UTC, QualityFloor.NONE);
        Router router = new Router(Map.of("tiered", route), catalog, id -> true, new TaskAnalyzer(tokens)::analyze,
                new InMemoryBudgetStore(), Clock.systemUTC());
        executor = new RouteExecutor(router, dispatcher, ScorerSpec::create);
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    /** What {@code concurrency} copies of {@code request} got, sent at once. */
    private record Outcome(int served, int refused, Money spent, String refusal) {
    }

    private Outcome sendAtOnce(ChatRequest request, int concurrency) throws InterruptedException {
        AtomicInteger served = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> refusal = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                int n = i;
                threads.submit(() -> {
                    go.await();
                    try {
                        executor.complete(new RequestContext("r" + n, "tiered", null, null, null, Deadline.after(Duration.ofSeconds(60))),
                                request, Hints.NONE);
                        served.incrementAndGet();
                    } catch (RoutingException e) {
                        assertThat(e.code()).isEqualTo("budget_exhausted");
                        refusal.set(e.getMessage());
                        refused.incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        return new Outcome(served.get(), refused.get(), ledger.stream().map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus),
                refusal.get());
    }

    /** 225 KB of function definitions, like an agent framework's whole toolbox. */
    private static ArrayNode toolbox() {
        ArrayNode tools = JSON.createArrayNode();
        for (int i = 0; tools.toString().length() < 225 * 1024; i++) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function");
            function.put("name", "tool_" + i);
            function.put("description", ("Looks up record " + i + " in the inventory and returns its fields, "
                    + "history and related records, paginated. ").repeat(4));
            ObjectNode properties = function.putObject("parameters").put("type", "object").putObject("properties");
            for (String p : List.of("query", "region", "cursor", "fields", "since")) {
                properties.putObject(p).put("type", "string").put("description", "The " + p + " to look up, as free text.");
            }
        }
        return tools;
    }

    private static ObjectNode ask(String prompt) {
        ObjectNode body = JSON.createObjectNode().put("model", "tiered");
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return body;
    }

    @Test
    void twoHundredTwentyFiveKilobytesOfToolsCannotOverspendTheTier() throws Exception {
        ObjectNode body = ask("Which tool finds record 7?").put("max_tokens", 16);
        body.set("tools", toolbox());
        ChatRequest request = new ChatRequest(body);
        Money oneCall = gpt41.price().worstCase(upstream.promptTokens(body), 16); // what the upstream bills one call

        Outcome outcome = sendAtOnce(request, 40);
        System.out.printf("225 KB of tools x 40 at once on a $%s tier: spent $%s (one call would bill $%s), %d refused%n",
                LIMIT.toUsdString(), outcome.spent().toUsdString(), oneCall.toUsdString(), outcome.refused());

        assertThat(oneCall).isGreaterThan(LIMIT); // the tool schemas alone cost more than the whole day's budget
        assertThat(outcome.spent()).as("spent on a $%s budget", LIMIT.toUsdString()).isLessThanOrEqualTo(LIMIT);
        // its worst case alone exceeds the budget: refused before anything is sent
        assertThat(upstream.calls()).isZero();
        assertThat(outcome.refused()).isEqualTo(40);
        assertThat(outcome.refusal()).contains("this request's worst case", "is more than the whole daily budget of tier only",
                "lower max_tokens");
    }

    @Test
    void aHundredChoicesPerRequestCannotOverspendTheTier() throws Exception {
        ObjectNode body = ask("Name a colour.").put("max_tokens", 5).put("n", 100);
        ChatRequest request = new ChatRequest(body);
        Money oneCall = gpt41.price().worstCase(upstream.promptTokens(body), 100 * 5);

        Outcome outcome = sendAtOnce(request, 200);
        System.out.printf("n: 100 x 200 at once on a $%s tier: spent $%s in %d calls of $%s, %d refused%n",
                LIMIT.toUsdString(), outcome.spent().toUsdString(), outcome.served(), oneCall.toUsdString(), outcome.refused());

        assertThat(outcome.spent()).as("spent on a $%s budget", LIMIT.toUsdString()).isLessThanOrEqualTo(LIMIT);
        assertThat(outcome.served()).isPositive();
        assertThat(outcome.spent()).isEqualTo(oneCall.times(outcome.served())); // each served call was billed in full
        assertThat(outcome.spent()).isGreaterThan(LIMIT.minus(oneCall.times(2))); // and the budget was used, not refused wholesale
        assertThat(outcome.served() + outcome.refused()).isEqualTo(200);
    }
}
