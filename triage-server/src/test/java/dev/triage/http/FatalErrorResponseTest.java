package dev.triage.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.PriceCatalog;
import dev.triage.dispatch.Dispatcher;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.routing.RouteExecutor;
import dev.triage.routing.Router;
import dev.triage.scoring.ScorerSpec;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.tokens.TokenEstimator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} thrown while serving a request (here by the request observer: an OutOfMemoryError is
 * what a heap too small for the traffic throws) skips Javalin's exception handlers; the client still
 * gets a 500 in OpenAI's shape, never an empty body.
 */
class FatalErrorResponseTest {

    private GatewayServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anErrorInAHandlerIsAnsweredWithAnOpenAiShaped500() throws Exception {
        PriceCatalog catalog = PriceCatalog.builtIn();
        TokenEstimator tokens = new TokenEstimator();
        Clock clock = Clock.systemUTC();
        ResilienceSettings resilience = ResilienceSettings.defaults();
        Dispatcher dispatcher = new Dispatcher(Map.of(), catalog, resilience, new BreakerRegistry(5, Duration.ofSeconds(1), System::nanoTime),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), () -> 0.5), Dispatcher.Sleeper.SYSTEM, entry -> { }, tokens, clock);
        Router router = new Router(Map.of(), catalog, id -> false, new TaskAnalyzer(tokens)::analyze, new InMemoryBudgetStore(), clock);
        RequestObserver failing = request -> {
            throw new OutOfMemoryError("simulated: Java heap space");
        };
        server = new GatewayServer(new ServerSettings("127.0.0.1", 0, List.of(), 1_000_000), catalog, dispatcher,
                new RouteExecutor(router, dispatcher, ScorerSpec::create), Duration.ofSeconds(5), () -> true,
                () -> dev.triage.ledger.LedgerState.UP, () -> dev.triage.budget.BudgetStore.State.UP, failing, null, null, null, null, null, null).start();

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        JsonNode error = new ObjectMapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("internal_error");
        assertThat(error.get("type").asText()).isEqualTo("server_error");
        assertThat(error.get("message").asText()).contains("see its log for request");
        assertThat(error.has("param")).isTrue();
    }
}
