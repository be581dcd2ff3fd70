package dev.triage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.Deadline;
import dev.triage.provider.simulated.SimulatedProvider;
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
import org.junit.jupiter.api.RepeatedTest;

/**
 * 1,000 concurrent requests race one tier's $1 daily budget through the whole routing path (router,
 * executor, dispatcher, provider, ledger): a reservation is granted only if the worst case fits in what is
 * left, so spend never passes the budget.
 */
class RouteExecutorBudgetRaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RepeatedTest(3)
    void concurrentRequestsCannotOverspendATierBudget() throws Exception {
        TokenEstimator tokens = new TokenEstimator();
        // $10/M in, $100/M out: a 100-token worst case is about $0.0101, a real 16-token answer about $0.0017
        PriceCatalog catalog = new PriceCatalog(List.of(new ModelInfo("sim", "sim", "sim-1", Price.of("10", "100"),
                100_000, 4096, null, null, List.of())));
        ConcurrentLinkedQueue<LedgerEntry> ledger = new ConcurrentLinkedQueue<>();
        ResilienceSettings s = ResilienceSettings.defaults();
        Dispatcher dispatcher = new Dispatcher(
                Map.of("sim", new SimulatedProvider("sim", new SimulatedProvider.Settings(Duration.ZERO, 16, 0, 0), tokens)),
                catalog, s, new BreakerRegistry(5, s.breakerOpen(), System::nanoTime),
                new Backoff(s.backoffInitial(), s.backoffMax(), () -> 0.5), Dispatcher.Sleeper.SYSTEM, ledger::add, tokens,
                Clock.systemUTC());
        Money limit = Money.ofUsd("1");
        TieredRouteSpec route = new TieredRouteSpec("tiered",
                List.of(new TieredRouteSpec.Tier("low", List.of("sim"), limit)), ZoneOffset.UTC, QualityFloor.NONE);
        Router router = new Router(Map.of("tiered", route), catalog, id -> true, new TaskAnalyzer(tokens)::analyze,
                new InMemoryBudgetStore(), Clock.systemUTC());
        RouteExecutor executor = new RouteExecutor(router, dispatcher, ScorerSpec::create);

        ObjectNode body = JSON.createObjectNode();
        body.put("model", "tiered");
        body.put("max_tokens", 100);
        body.putArray("messages").addObject().put("role", "user").put("content", "Say something short.");
        ChatRequest request = new ChatRequest(body);
        Money worstCase = Router.worstCase(dispatcher.plan("sim"), request);

        AtomicInteger served = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                threads.submit(() -> {
                    go.await();
                    try {
                        executor.complete(new RequestContext("r" + n, "tiered", null, null, null, Deadline.after(Duration.ofSeconds(30))),
                                request, Hints.NONE);
                        served.incrementAndGet();
                    } catch (RoutingException e) {
                        assertThat(e.code()).isEqualTo("budget_exhausted");
                        refused.incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
        }

        Money spent = ledger.stream().map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
        assertThat(served.get() + refused.get()).isEqualTo(1000);
        assertThat(refused.get()).isPositive(); // demand (~$1.7) exceeds the budget
        // a reservation must fit in what is left, and no call costs more than its worst case: no overshoot at all
        assertThat(spent.compareTo(limit)).isLessThanOrEqualTo(0);
        assertThat(worstCase.compareTo(Money.ofUsd("0.0017"))).isPositive();
        assertThat(spent.compareTo(Money.ofUsd("0.5"))).isPositive();
        assertThat(router.budgets(route).spentToday("tiered/low")).isEqualTo(spent); // every reservation settled to the real cost
        assertThat(ledger).hasSize(served.get());
    }
}
