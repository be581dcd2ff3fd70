package dev.triage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.PromptCache;
import dev.triage.context.ContextSettings;
import dev.triage.context.ContextSharing;
import dev.triage.context.ContextStore;
import dev.triage.context.SharedContext;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.provider.Deadline;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.simulated.SimulatedProvider;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.TokenEstimator;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A cascade escalating a short conversation to a stronger model: the first stage gets the whole history,
 * the stronger model — whose cache is cold — the conversation's stored shared context and its last turns.
 */
class EscalationContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEscalatedStepGetsTheStoredSharedContextInsteadOfTheWholeHistory() throws Exception {
        TokenEstimator tokens = new TokenEstimator();
        PriceCatalog catalog = new PriceCatalog(List.of(
                new ModelInfo("cheap", "sim", "cheap", Price.of("0.1", "0.4"), 100_000, 4096, null, null, List.of()),
                new ModelInfo("strong", "sim", "strong", Price.of("3", "15"), 100_000, 4096, null, null, List.of())));
        ConcurrentLinkedQueue<LedgerEntry> ledger = new ConcurrentLinkedQueue<>();
        ResilienceSettings s = ResilienceSettings.defaults();
        Dispatcher dispatcher = new Dispatcher(Map.of("sim", new SimulatedProvider("sim", SimulatedProvider.Settings.fast(), tokens)),
                catalog, s, new BreakerRegistry(5, s.breakerOpen(), System::nanoTime), new Backoff(s.backoffInitial(), s.backoffMax(), () -> 0.5),
                Dispatcher.Sleeper.SYSTEM, ledger::add, tokens, Clock.systemUTC());
        // the cheap stage's answer is never confident enough: the cascade always escalates
        CascadeRouteSpec cascade = new CascadeRouteSpec("casc", List.of(new CascadeRouteSpec.Stage("cheap", 1.0),
                new CascadeRouteSpec.Stage("strong", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE);
        Router router = new Router(Map.of("casc", cascade), catalog, id -> true, new TaskAnalyzer(tokens)::analyze,
                new InMemoryBudgetStore(), Clock.systemUTC());
        ContextStore store = ContextStore.inMemory(10);
        RouteExecutor executor = new RouteExecutor(router, dispatcher, ScorerSpec::create, dev.triage.budget.BudgetAlerts.NONE,
                new ContextSharing(Map.of("casc", new ContextSettings(100_000, 1, "cheap", 1)), store));

        ObjectNode body = JSON.createObjectNode();
        body.put("model", "casc");
        ArrayNode m = body.putArray("messages");
        m.addObject().put("role", "system").put("content", "You are an airline agent.");
        for (int i = 0; i < 4; i++) {
            m.addObject().put("role", "user").put("content", "Question " + i + " about my booking " + "and its details ".repeat(40));
            if (i < 3) {
                m.addObject().put("role", "assistant").put("content", "Answer " + i + " " + "with the facts ".repeat(40));
            }
        }
        ChatRequest request = new ChatRequest(body, new PromptCache(true, "s1", PromptCache.Ttl.FIVE_MINUTES));
        // an earlier turn wrote the shared context of the first two turns (four messages after the system prompt)
        ArrayNode history = (ArrayNode) body.get("messages").deepCopy();
        history.remove(0);
        String covered = List.of(history.get(0), history.get(1), history.get(2), history.get(3)).toString();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(covered.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 16);
        store.put("s1", new SharedContext(4, hash, "FACTS: booking ABC123"));

        RouteExecutor.Outcome outcome = executor.complete(new RequestContext("r1", "casc", null, null, null,
                Deadline.after(Duration.ofSeconds(30))), request, Hints.NONE);

        assertThat(outcome.result().model()).isEqualTo("strong");
        LedgerEntry first = ledger.stream().filter(e -> e.model().equals("cheap")).findFirst().orElseThrow();
        LedgerEntry escalated = ledger.stream().filter(e -> e.model().equals("strong")).findFirst().orElseThrow();
        assertThat(escalated.usage().inputTokens()).isLessThan(first.usage().inputTokens() * 2 / 3);
        assertThat(outcome.notes()).anyMatch(n -> n.startsWith("context: 4 earlier messages") && n.endsWith("(escalation)"));
    }
}
