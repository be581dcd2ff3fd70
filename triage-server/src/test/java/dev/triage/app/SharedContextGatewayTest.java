package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.ledger.LedgerEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared context on twenty tau-bench conversations (Claude answering, GPT-4.1 mini writing the shared
 * context, prompt caching on in both runs), against the same replay with the full history: what the
 * model is sent, and what it all costs as the ledger records it, summarizer calls included. With an
 * experiment, the arms as the ledger and {@code /api/report} see them, feedback included.
 */
class SharedContextGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper EXACT = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true)).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    /**
     * @param requests the ids of the requests each arm's header ({@code x-triage-context}) named, in order
     * @param rows     the ledger's rows of the replay
     */
    record Run(Money cost, long promptTokens, long summarizerCalls, Map<String, List<String>> requests, List<LedgerEntry> rows) {

        /** How many requests each arm's header named. */
        Map<String, Integer> arms() {
            Map<String, Integer> n = new TreeMap<>();
            requests.forEach((arm, ids) -> n.put(arm, ids.size()));
            return n;
        }
    }

    /** What a test checks on the gateway after the replay, before it stops. */
    @FunctionalInterface
    interface WhileUp {
        void check(TriageApp app, Run run) throws Exception;
    }

    private Run replay(String context, Path where) throws Exception {
        return replay(context, "", where);
    }

    private Run replay(String context, String top, Path where) throws Exception {
        return replay(context, top, where, (app, run) -> { });
    }

    private Run replay(String context, String top, Path where, WhileUp whileUp) throws Exception {
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
                Map<String, List<String>> requests = new TreeMap<>();
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
                        r.headers().firstValue("x-triage-context").ifPresent(a -> requests.computeIfAbsent(a, k -> new ArrayList<>())
                                .add(r.headers().firstValue("x-triage-request-id").orElseThrow()));
                    }
                }
                app.ledger().flush();
                List<LedgerEntry> rows = app.ledger().findBetween(from, Instant.now().plusSeconds(1), 10_000);
                Money cost = rows.stream().map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
                long prompt = rows.stream().filter(e -> e.model().equals("claude-sonnet-4.5")).mapToLong(e -> e.usage().inputTokens()).sum();
                long summaries = rows.stream().filter(e -> "context".equals(e.step())).count();
                Run run = new Run(cost, prompt, summaries, requests, rows);
                whileUp.check(app, run);
                return run;
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
    void anExperimentSplitsSessionsIntoArmsThatStayPutAndTheReportComparesThemWithTheirFeedback() throws Exception {
        replay("""
                    context: {share: true, compact_after_tokens: 3000, keep_last_turns: 3, summarizer: gpt-4.1-mini, experiment: 0.5}
                """, "", dir.resolve("ab"), (app, ab) -> {
            assertThat(ab.arms()).containsOnlyKeys("compact", "full");
            assertThat(ab.arms().get("compact")).isBetween(40, 245);
            // Every attempt of a request carries the arm its response named; the summarizer is called in compact only.
            Map<String, String> armOf = new HashMap<>();
            ab.requests().forEach((arm, ids) -> ids.forEach(id -> armOf.put(id, arm)));
            assertThat(ab.rows()).allSatisfy(e -> assertThat(e.contextArm()).as(e.requestId()).isEqualTo(armOf.get(e.requestId())));
            assertThat(ab.rows()).filteredOn(e -> "context".equals(e.step())).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.contextArm()).isEqualTo("compact"));

            // Rate every third request of each arm through POST /v1/feedback, with scores of 0.5 to 0.9 in turn.
            Map<String, List<BigDecimal>> scores = new TreeMap<>();
            int n = 0;
            for (Map.Entry<String, List<String>> arm : ab.requests().entrySet()) {
                for (int i = 0; i < arm.getValue().size(); i += 3) {
                    BigDecimal score = new BigDecimal("0." + (5 + n++ % 5));
                    HttpResponse<String> r = post(app, "/v1/feedback", "{\"request_id\":\"" + arm.getValue().get(i) + "\",\"score\":" + score + "}");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    scores.computeIfAbsent(arm.getKey(), k -> new ArrayList<>()).add(score);
                }
            }

            JsonNode arms = EXACT.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/report"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).at("/context_experiment/arms");
            assertThat(arms).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonNode line = arms.get(i);
                String arm = line.get("arm").asText();
                assertThat(arm).isEqualTo(i == 0 ? "compact" : "full");
                List<LedgerEntry> rows = ab.rows().stream().filter(e -> arm.equals(e.contextArm())).toList();
                Money cost = rows.stream().map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
                List<BigDecimal> rated = scores.get(arm);
                BigDecimal mean = rated.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                        .divide(BigDecimal.valueOf(rated.size()), 4, RoundingMode.HALF_EVEN);
                // Requests are the headers seen; cost is every attempt of the arm, summarizer calls included.
                assertThat(line.get("requests").asInt()).isEqualTo(ab.arms().get(arm));
                assertThat(line.get("answered").asInt()).isEqualTo(ab.arms().get(arm));
                assertThat(line.get("attempts").asInt()).isEqualTo(rows.size());
                assertThat(line.get("cost_usd").decimalValue()).isEqualByComparingTo(cost.usd());
                assertThat(line.get("avg_cost_per_request_usd").decimalValue()).isEqualByComparingTo(
                        cost.usd().divide(BigDecimal.valueOf(ab.arms().get(arm)), 12, RoundingMode.HALF_EVEN));
                assertThat(line.get("input_tokens").asLong()).isEqualTo(rows.stream().mapToLong(e -> e.usage().inputTokens()).sum());
                assertThat(line.at("/quality/count").asInt()).isEqualTo(rated.size());
                assertThat(line.at("/quality/mean").decimalValue()).isEqualTo(mean);
                System.out.printf("context experiment, arm %s: %d requests, $%s per request, quality %s (n=%d)%n", arm,
                        ab.arms().get(arm), line.get("avg_cost_per_request_usd").decimalValue().toPlainString(), mean, rated.size());
            }
        });
    }

    private HttpResponse<String> post(TriageApp app, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
