package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.ledger.LedgerEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task route that would move a conversation between Claude (reasoning turns) and GPT-4.1 (the
 * others) on every turn, replayed on five tau-bench conversations with and without cache-aware
 * routing, each through its own gateway and its own caching upstream ({@link CachingUpstream}).
 */
class CacheAwareRoutingGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    private record Replay(Money cost, long switches, List<String> reasons) {
    }

    private Replay replay(boolean cacheAware, Path where) throws Exception {
        try (CachingUpstream upstream = new CachingUpstream()) {
            String yaml = GatewayYaml.server() + GatewayYaml.sqliteStorage(where) + """
                    providers:
                      anthropic: {kind: anthropic, base_url: "%s", api_key: test-anthropic-key}
                      openai:    {kind: openai, base_url: "%s", api_key: test-openai-key}
                    prompt_cache: {cache_aware_routing: %s}
                    routes:
                      agent:
                        policy: task
                        task_types:
                          reasoning:      {model: claude-sonnet-4.5}
                          classification: {model: gpt-4.1}
                        default: classification
                    """.formatted(upstream.baseUrl().replaceFirst("/v1$", ""), upstream.baseUrl(), cacheAware);
            TriageApp app = TriageApp.start(ConfigLoader.parse(yaml, "aware.yaml", Map.of()), null, Clock.systemUTC(), null);
            try {
                Instant from = Instant.now();
                List<List<ArrayNode>> conversations = PromptCachingGatewayTest.conversations().subList(0, 5);
                long switches = 0;
                List<String> reasons = new java.util.ArrayList<>();
                for (List<ArrayNode> calls : conversations) {
                    String previous = null;
                    for (int k = 0; k < calls.size(); k++) {
                        ObjectNode body = JSON.createObjectNode();
                        body.put("model", "agent");
                        body.put("max_tokens", 200);
                        body.set("messages", calls.get(k));
                        // the policy sends every third turn to the reasoning model
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                                        + "/v1/chat/completions")).header("content-type", "application/json")
                                .header("x-triage-task", k % 3 == 0 ? "reasoning" : "classification")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        String model = r.headers().firstValue("x-triage-model").orElseThrow();
                        switches += previous != null && !previous.equals(model) ? 1 : 0;
                        previous = model;
                        r.headers().firstValue("x-triage-route-reason").ifPresent(reasons::add);
                    }
                }
                app.ledger().flush();
                Money cost = app.ledger().findBetween(from, Instant.now().plusSeconds(1), 10_000).stream()
                        .map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
                return new Replay(cost, switches, reasons);
            } finally {
                app.close();
            }
        }
    }

    @Test
    void stayingOnTheModelThatHoldsTheCacheCostsLessThanFollowingThePolicyEveryTurn() throws Exception {
        Replay aware = replay(true, dir.resolve("aware"));
        Replay blind = replay(false, dir.resolve("blind"));
        System.out.printf("task route switching models mid-conversation, 5 tau-bench conversations: cache-aware $%s (%d model"
                + " switches), not cache-aware $%s (%d switches): %.1f%% less%n", aware.cost().toUsdString(), aware.switches(),
                blind.cost().toUsdString(), blind.switches(),
                100 - aware.cost().usd().multiply(java.math.BigDecimal.valueOf(100)).divide(blind.cost().usd(), 1, java.math.RoundingMode.HALF_EVEN).doubleValue());
        assertThat(aware.cost()).isLessThan(blind.cost());
        assertThat(aware.switches()).isLessThan(blind.switches());
        assertThat(aware.reasons()).anyMatch(r -> r.startsWith("cache-aware: stays on claude-sonnet-4.5"));
        assertThat(blind.reasons()).isEmpty();
    }
}
