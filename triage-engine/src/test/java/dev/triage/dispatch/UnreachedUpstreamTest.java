package dev.triage.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.Deadline;
import dev.triage.provider.http.UpstreamHttp;
import dev.triage.provider.openai.OpenAiProvider;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.CircuitBreaker;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.testing.UnopenablePort;
import dev.triage.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls whose deadline passes before they reach the upstream (the connection never opened) against a
 * real OpenAI provider: nothing can have been billed, so they are recorded at $0 as {@code NOT_SENT},
 * and they say nothing about the upstream, so they never open its breaker.
 */
class UnreachedUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnopenablePort blackHole = new UnopenablePort();
    private final List<LedgerEntry> ledger = new CopyOnWriteArrayList<>();
    private final BreakerRegistry breakers = new BreakerRegistry(3, Duration.ofSeconds(30), System::nanoTime);

    @AfterEach
    void close() {
        blackHole.close();
    }

    @Test
    void callsWhoseConnectionNeverOpenedBeforeTheDeadlineCostNothingAndNeverOpenTheBreaker() {
        assumeThat(blackHole.available()).as("this kernel drops connections to a full accept queue").isTrue();
        TokenEstimator tokens = new TokenEstimator();
        ModelInfo model = new ModelInfo("mini", "openai", "gpt-4o-mini", Price.of("0.15", "0.60"), 128_000, 16_384, null, null, List.of());
        OpenAiProvider provider = new OpenAiProvider("openai", "http://127.0.0.1:" + blackHole.port() + "/v1",
                "sk-test-0123456789abcdef0123", Map.of(), UpstreamHttp.withDefaults());
        Dispatcher dispatcher = new Dispatcher(Map.of("openai", provider), new PriceCatalog(List.of(model)),
                ResilienceSettings.defaults(), breakers, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), () -> 0.5),
                d -> { }, ledger::add, tokens, Clock.systemUTC());
        ObjectNode body = JSON.createObjectNode().put("model", "mini");
        body.putArray("messages").addObject().put("role", "user").put("content", "A prompt the upstream never sees. ".repeat(50));
        ChatRequest request = new ChatRequest(body);

        for (int i = 0; i < 5; i++) {
            // the gateway's own deadline, not a caller's: even so, a call that never left says nothing about the model
            RequestContext ctx = new RequestContext("r" + i, "mini", null, null, null, Deadline.after(Duration.ofMillis(200)));
            assertThatThrownBy(() -> dispatcher.complete(ctx, request, dispatcher.plan("mini")))
                    .isInstanceOfSatisfying(DispatchException.class, e -> {
                        assertThat(e.kind().gatewayStatus()).isEqualTo(504);
                        assertThat(e.cost()).isEqualTo(Money.ZERO);
                    });
        }

        assertThat(ledger).hasSize(5).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(AttemptStatus.ERROR);
            assertThat(e.errorKind()).isEqualTo("NOT_SENT");
            assertThat(e.cost()).isEqualTo(Money.ZERO);
            assertThat(e.usage().inputTokens()).isZero();
        });
        assertThat(breakers.forModel("openai", "mini").state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
