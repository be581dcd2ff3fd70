package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.Price;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.config.ConfigLoader;
import dev.triage.ledger.LedgerEntry;
import dev.triage.testing.SharedDatasets;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty real tau-bench airline conversations (a ~1,500-token policy prompt, each call sending the whole
 * history, as an OpenAI-format agent does) replayed through the gateway to a fake upstream that bills
 * by Anthropic's and OpenAI's documented caching rules ({@link CachingUpstream}). The input cost the
 * ledger records is compared with the caching limit: every token already sent earlier in the
 * conversation (or, for the policy prompt, in any earlier conversation) billed at the cache-read price,
 * every other token at the cheapest price that lets it be read later (Anthropic: the write price if a
 * later call of the conversation re-sends it, else the input price; OpenAI: the input price).
 */
class PromptCachingGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONVERSATIONS = 20;

    @TempDir
    Path dir;
    private CachingUpstream upstream;
    private TriageApp app;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        upstream = new CachingUpstream();
        String yaml = GatewayYaml.server() + GatewayYaml.sqliteStorage(dir) + """
                providers:
                  anthropic: {kind: anthropic, base_url: "%s", api_key: test-anthropic-key}
                  openai:    {kind: openai, base_url: "%s", api_key: test-openai-key, prompt_cache_key: true}
                """.formatted(upstream.baseUrl().replaceFirst("/v1$", ""), upstream.baseUrl());
        app = TriageApp.start(ConfigLoader.parse(yaml, "caching.yaml", Map.of()), null, Clock.systemUTC(), null);
    }

    @AfterEach
    void stop() {
        app.close();
        upstream.close();
    }

    /** The calls of each conversation: the history before each of its assistant messages. */
    static List<List<ArrayNode>> conversations() throws IOException {
        JsonNode all = JSON.readTree(Files.readString(SharedDatasets.trace("taubench-airline-gpt-4o.json")));
        List<List<ArrayNode>> out = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            JsonNode traj = all.get(c).get("traj");
            List<ArrayNode> calls = new ArrayList<>();
            ArrayNode history = JSON.createArrayNode();
            for (JsonNode m : traj) {
                if (m.path("role").asText().equals("assistant")) {
                    calls.add(history.deepCopy());
                }
                ObjectNode copy = (ObjectNode) m.deepCopy();
                copy.remove("name"); // tau-bench keeps the tool's name on its result; Chat Completions has none there
                history.add(copy);
            }
            out.add(calls);
        }
        return out;
    }

    private HttpResponse<String> ask(String model, ArrayNode messages, String... headers) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", 200);
        body.set("messages", messages);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Replays every conversation on {@code model}; returns the ratio of the ledger's input cost to the limit. */
    private BigDecimal replay(String model, boolean writesCost) throws Exception {
        Instant from = Instant.now();
        List<List<ArrayNode>> conversations = conversations();
        int before = upstream.bills().size();
        List<int[]> shape = new ArrayList<>(); // per call: conversation, call index, calls in the conversation
        for (int c = 0; c < conversations.size(); c++) {
            List<ArrayNode> calls = conversations.get(c);
            for (int k = 0; k < calls.size(); k++) {
                HttpResponse<String> r = ask(model, calls.get(k));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                shape.add(new int[] {c, k, calls.size()});
            }
        }
        app.ledger().flush();
        Price price = app.catalog().find(model).orElseThrow().price();
        List<LedgerEntry> rows = app.ledger().findBetween(from, Instant.now().plusSeconds(1), 10_000).stream()
                .filter(e -> e.model().equals(model)).toList();
        assertThat(rows).hasSize(shape.size());
        Money actual = Money.ZERO;
        for (LedgerEntry e : rows) {
            Usage u = e.usage();
            actual = actual.plus(price.cost(new Usage(u.inputTokens(), 0, u.cachedInputTokens(), u.cacheWriteTokens(), 0, false)));
        }
        List<CachingUpstream.Bill> bills = upstream.bills().subList(before, upstream.bills().size());
        long systemTokens = CachingUpstream.tokens(JSON.createObjectNode().put("type", "text")
                .put("text", conversations.getFirst().getFirst().get(0).get("content").asText()));
        Money limit = Money.ZERO;
        long previous = 0;
        for (int i = 0; i < bills.size(); i++) {
            CachingUpstream.Bill b = bills.get(i);
            int[] s = shape.get(i);
            long total = b.input() + b.cacheRead() + b.cacheWrite();
            long seen = s[1] > 0 ? Math.min(previous, total) : s[0] > 0 ? Math.min(systemTokens, total) : 0;
            long fresh = total - seen;
            boolean readLater = s[1] < s[2] - 1 || s[0] == 0 && s[1] == 0;
            Usage ideal = new Usage(total, 0, seen, writesCost && readLater ? fresh : 0, 0, false);
            limit = limit.plus(price.cost(ideal));
            previous = total;
        }
        BigDecimal ratio = actual.usd().divide(limit.usd(), MathContext.DECIMAL64);
        Money uncached = Money.ZERO;
        for (CachingUpstream.Bill b : bills) {
            uncached = uncached.plus(price.cost(new Usage(b.input() + b.cacheRead() + b.cacheWrite(), 0, 0, 0, 0, false)));
        }
        System.out.printf("tau-bench replay on %s: %d calls, input cost $%s as recorded (no caching: $%s), limit $%s: %.3fx%n",
                model, bills.size(), actual.toUsdString(), uncached.toUsdString(), limit.toUsdString(), ratio);
        return ratio;
    }

    @Test
    void anOpenAiFormatAgentOnAnAnthropicModelPaysWithinTenPercentOfTheCachingLimit() throws Exception {
        BigDecimal ratio = replay("claude-sonnet-4.5", true);
        assertThat(ratio).isLessThanOrEqualTo(new BigDecimal("1.10"));
        assertThat(upstream.bills().stream().mapToLong(CachingUpstream.Bill::cacheRead).sum()).isPositive();
    }

    @Test
    void onAnOpenAiModelTheConversationKeepsOneCacheKeyAndStaysWithinTenPercent() throws Exception {
        BigDecimal ratio = replay("gpt-4.1", false);
        assertThat(ratio).isLessThanOrEqualTo(new BigDecimal("1.10"));
        List<CachingUpstream.Bill> bills = upstream.bills();
        assertThat(bills).allMatch(b -> b.cacheKey() != null && b.cacheKey().startsWith("triage-"));
        long keys = bills.stream().map(CachingUpstream.Bill::cacheKey).distinct().count();
        assertThat(keys).isEqualTo(CONVERSATIONS);
    }

    @Test
    void withCachingOffNothingIsMarkedAndTheHeaderSaysSo() throws Exception {
        ArrayNode longest = conversations().getFirst().getLast();
        HttpResponse<String> on = ask("claude-sonnet-4.5", longest);
        assertThat(on.headers().firstValue("x-triage-prompt-cache").orElseThrow()).startsWith("on; ttl=5m; session=");
        HttpResponse<String> off = ask("claude-sonnet-4.5", longest, "x-triage-prompt-cache", "off");
        assertThat(off.headers().firstValue("x-triage-prompt-cache")).hasValue("off");
        List<CachingUpstream.Bill> bills = upstream.bills();
        assertThat(bills.getLast().cacheRead() + bills.getLast().cacheWrite()).isZero();
        HttpResponse<String> bad = ask("claude-sonnet-4.5", longest, "x-triage-prompt-cache", "forever");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/error/param").asText()).isEqualTo("x-triage-prompt-cache");
        assertThat(upstream.bills()).hasSize(bills.size());
    }
}
