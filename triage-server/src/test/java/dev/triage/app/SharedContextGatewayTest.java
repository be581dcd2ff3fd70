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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared context on twenty tau-bench conversations (Claude answering, GPT-4.1 mini writing the shared
 * context, prompt caching on in both runs), against the same replay with the full history: what the
 * model is sent, and what it all costs as the ledger records it, summarizer calls included.
 */
class SharedContextGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    record Run(Money cost, long promptTokens, long summarizerCalls, Map<String, Integer> arms) {
    }

    private Run replay(String context, Path where) throws Exception {
        return replay(context, "", where);
    }

    private Run replay(String context, String top, Path where) throws Exception {
        try (CachingUpstream upstream = new CachingUpstream()) {
            String yaml = GatewayYaml.server() + GatewayYaml.sqliteStorage(where) + """
                    providers:
                      anthropic: {kind: anthropic, base_url: "%s", api_key: test-anthropic-key}
                      openai:    {kind: openai, base_url: "%s", api_key: test-openai-key}
                    routes:
                      agent:
                        policy: cheapest
                        models: [claude-sonnet-4.5]
                    %s
                    %s
                    """.formatted(upstream.baseUrl().replaceFirst("/v1$", ""), upstream.baseUrl(), context, top);
            TriageApp app = TriageApp.start(ConfigLoader.parse(yaml, "context.yaml", Map.of()), null, Clock.systemUTC(), null);
            try {
                Instant from = Instant.now();
                Map<String, Integer> arms = new HashMap<>();
                for (List<ArrayNode> calls : PromptCachingGatewayTest.conversations()) {
                    for (ArrayNode messages : calls) {
                        ObjectNode body = JSON.createObjectNode();
                        body.put("model", "agent");
                        body.put("max_tokens", 200);
                        body.set("messages", messages);
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                                        + "/v1/chat/completions")).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        r.headers().firstValue("x-triage-context").ifPresent(a -> arms.merge(a, 1, Integer::sum));
                    }
                }
                app.ledger().flush();
                List<LedgerEntry> rows = app.ledger().findBetween(from, Instant.now().plusSeconds(1), 10_000);
                Money cost = rows.stream().map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
                long prompt = rows.stream().filter(e -> e.model().equals("claude-sonnet-4.5")).mapToLong(e -> e.usage().inputTokens()).sum();
                long summaries = rows.stream().filter(e -> "context".equals(e.step())).count();
                return new Run(cost, prompt, summaries, arms);
            } finally {
                app.close();
            }
        }
    }

    @Test
    void compactionSendsFewerTokensAndTheLedgerSaysWhatItCostsWithCachingOn() throws Exception {
        Run full = replay("", dir.resolve("full"));
        Run compact = replay("""
                    context: {share: true, compact_after_tokens: 3000, keep_last_turns: 3, summarizer: gpt-4.1-mini}
                """, dir.resolve("compact"));
        System.out.printf("shared context on 20 tau-bench conversations: prompt tokens to the model %,d -> %,d (%.1f%% fewer), "
                        + "cost $%s -> $%s with %d summarizer calls (%.1f%% less)%n", full.promptTokens(), compact.promptTokens(),
                100.0 * (full.promptTokens() - compact.promptTokens()) / full.promptTokens(), full.cost().toUsdString(),
                compact.cost().toUsdString(), compact.summarizerCalls(),
                100.0 * (full.cost().usd().doubleValue() - compact.cost().usd().doubleValue()) / full.cost().usd().doubleValue());
        assertThat(compact.promptTokens()).isLessThan(full.promptTokens());
        assertThat(compact.summarizerCalls()).isPositive();
        assertThat(compact.arms()).containsOnlyKeys("compact");
        assertThat(full.arms()).isEmpty();
    }

    @Test
    void withoutProviderCachingCompactionSavesMore() throws Exception {
        String off = "prompt_cache: {enabled: false}";
        Run full = replay("", off, dir.resolve("full-nocache"));
        Run compact = replay("""
                    context: {share: true, compact_after_tokens: 3000, keep_last_turns: 3, summarizer: gpt-4.1-mini}
                """, off, dir.resolve("compact-nocache"));
        System.out.printf("shared context, provider caching off: prompt tokens %,d -> %,d (%.1f%% fewer), cost $%s -> $%s with %d"
                        + " summarizer calls (%.1f%% less)%n", full.promptTokens(), compact.promptTokens(),
                100.0 * (full.promptTokens() - compact.promptTokens()) / full.promptTokens(), full.cost().toUsdString(),
                compact.cost().toUsdString(), compact.summarizerCalls(),
                100.0 * (full.cost().usd().doubleValue() - compact.cost().usd().doubleValue()) / full.cost().usd().doubleValue());
        assertThat(compact.promptTokens()).isLessThan(full.promptTokens());
        assertThat(compact.cost()).isLessThan(full.cost());
    }

    @Test
    void anExperimentSplitsSessionsIntoArmsThatStayPut() throws Exception {
        Run ab = replay("""
                    context: {share: true, compact_after_tokens: 3000, keep_last_turns: 3, summarizer: gpt-4.1-mini, experiment: 0.5}
                """, dir.resolve("ab"));
        assertThat(ab.arms()).containsOnlyKeys("compact", "full");
        assertThat(ab.arms().get("compact")).isBetween(40, 245);
    }
}
