package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeyStore;
import dev.triage.keys.NewKey;
import dev.triage.ledger.LedgerEntry;
import dev.triage.testing.PostgresSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Virtual keys across instances: two gateways sharing the machine's PostgreSQL (keys and ledger, in a
 * schema of this test's own) and Redis (budgets and per-minute limits) enforce one key's budget, model
 * and route lists, and rate limits together; the gateway's own keys stay unrestricted.
 */
class VirtualKeysGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-0123456789abcdef";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<TriageApp> instances = new ArrayList<>();
    /** Key names are unique per run: Redis outlives the test. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private PostgresSchema schema;

    @BeforeEach
    void start() throws Exception {
        schema = PostgresSchema.create("vkeys");
        String yaml = """
                server: {host: 127.0.0.1, port: 0, request_timeout_ms: 10000, api_keys: [%s]}
                storage: {ledger: "%s", spool_max_bytes: 0, redis: "redis://127.0.0.1:6379/0"}
                providers:
                  sim: {kind: simulated, latency_ms: 5, output_tokens: 64}
                models:
                  pricey: {provider: sim, input_per_mtok: 1, output_per_mtok: 100}
                  cheap:  {provider: sim, input_per_mtok: 0.1, output_per_mtok: 0.4}
                routes:
                  thrifty: {policy: cheapest, models: [cheap, pricey]}
                """.formatted(ADMIN, schema.urlWithUser());
        for (int i = 0; i < 2; i++) {
            instances.add(TriageApp.start(ConfigLoader.parse(yaml, "triage.yaml", Map.of()), null, Clock.systemUTC(), null));
        }
    }

    @AfterEach
    void stop() throws Exception {
        instances.forEach(TriageApp::close);
        schema.close();
    }

    private KeyStore keys() {
        return instances.getFirst().ledger().keys();
    }

    private String create(String name, Money budget, Set<String> models, Set<String> routes, Integer rpm, Integer tpm) {
        return keys().create(new NewKey(name + "-" + run, "growth", budget, KeyPeriod.DAY, models, routes, rpm, tpm, null),
                Instant.now()).secret();
    }

    private HttpResponse<String> ask(int instance, String key, String model, int i) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Request " + i + ": say something about the sea.\"}]}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instances.get(instance).port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60)).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).at("/error/code").asText();
    }

    @Test
    void aKeysBudgetHoldsAcrossInstancesUnderConcurrentLoadAndItsSpendIsInTheLedger() throws Exception {
        String key = create("budgeted", Money.ofUsd("0.05"), Set.of("pricey"), Set.of(), null, null);
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            int n = i;
            answers.add(pool.submit(() -> ask(n % 2, key, "pricey", n)));
        }
        int ok = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(code(r)).isEqualTo("key_budget_exhausted");
                assertThat(r.headers().firstValue("retry-after")).isPresent();
            }
        }
        pool.shutdown();
        instances.forEach(i -> i.ledger().flush()); // both instances' rows, not only the first's
        List<LedgerEntry> rows = instances.getFirst().ledger().findBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(1), 10_000);
        Money spent = rows.stream().filter(e -> ("budgeted-" + run).equals(e.apiKey())).map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
        System.out.printf("key budget $0.05 over two instances, 120 requests: %d answered, spent $%s%n", ok, spent.toUsdString());
        assertThat(ok).isBetween(5, 9);
        assertThat(spent.compareTo(Money.ofUsd("0.0575"))).as("at most one worst case ($0.0075) over").isLessThanOrEqualTo(0);
        assertThat(rows).filteredOn(e -> ("budgeted-" + run).equals(e.apiKey())).hasSize(ok);
    }

    @Test
    void aKeyMayNameOnlyItsModelsAndRoutesAndTheGatewaysOwnKeysStayUnrestricted() throws Exception {
        String key = create("listed", null, Set.of("cheap"), Set.of("thrifty"), null, null);

        assertThat(ask(0, key, "cheap", 1).statusCode()).isEqualTo(200);
        assertThat(ask(1, key, "thrifty", 2).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = ask(0, key, "pricey", 3);
        assertThat(refused.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("model_not_allowed");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("'pricey'").contains("routes thrifty").contains("models cheap");

        assertThat(ask(0, ADMIN, "pricey", 4).statusCode()).isEqualTo(200);
        assertThat(ask(0, null, "cheap", 5).statusCode()).isEqualTo(401);
        assertThat(ask(0, "tk_AAAAAAAA_" + "b".repeat(32), "cheap", 6).statusCode()).isEqualTo(401);
    }

    @Test
    void requestsPerMinuteAreCountedAcrossInstances() throws Exception {
        String key = create("rpm", null, Set.of(), Set.of(), 4, null);
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            last = ask(i % 2, key, "cheap", i);
            if (last.statusCode() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(4);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(code(last)).isEqualTo("rate_limit_exceeded");
        assertThat(Long.parseLong(last.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 120L);
    }

    @Test
    void tokensPerMinuteCountEveryAttemptsTokens() throws Exception {
        // each answer uses about 90 tokens (prompt and 64 output): the third starts with about 180 used, the fourth is refused
        String key = create("tpm", null, Set.of(), Set.of(), null, 200);
        assertThat(ask(0, key, "cheap", 1).statusCode()).isEqualTo(200);
        assertThat(ask(1, key, "cheap", 2).statusCode()).isEqualTo(200);
        assertThat(ask(0, key, "cheap", 3).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = ask(1, key, "cheap", 4);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(code(refused)).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void aRevokedKeyStopsOnEveryInstanceWithinSeconds() throws Exception {
        String key = create("revoked", null, Set.of(), Set.of(), null, null);
        assertThat(ask(0, key, "cheap", 1).statusCode()).isEqualTo(200);
        assertThat(ask(1, key, "cheap", 2).statusCode()).isEqualTo(200);
        assertThat(keys().revoke("revoked-" + run, Instant.now())).isTrue();

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        boolean stopped = false;
        while (!stopped && System.nanoTime() < deadline) {
            Thread.sleep(500);
            stopped = ask(0, key, "cheap", 3).statusCode() == 401 && ask(1, key, "cheap", 4).statusCode() == 401;
        }
        assertThat(stopped).as("refused everywhere once each instance's 5 s memory of the key runs out").isTrue();
    }

    private JsonNode report(int instance, String key, String query) throws Exception {
        HttpResponse<String> r = reportResponse(instance, key, query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> reportResponse(int instance, String key, String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instances.get(instance).port() + "/api/report" + query))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the ledger holds for the key, once both instances have written what they queued. */
    private Money ledgerSpend(String keyName) {
        instances.forEach(i -> i.ledger().flush());
        return instances.getFirst().ledger().findBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(1), 10_000).stream()
                .filter(e -> keyName.equals(e.apiKey())).map(LedgerEntry::cost).reduce(Money.ZERO, Money::plus);
    }

    @Test
    void spendIsReportedByKeyAndTeamAndAVirtualKeySeesOnlyItsOwn() throws Exception {
        String growth = create("growth", Money.ofUsd("5"), Set.of(), Set.of(), null, null);
        String other = keys().create(new NewKey("infra-" + run, "infra", null, KeyPeriod.MONTH, Set.of(), Set.of(), null, null, null),
                Instant.now()).secret();
        for (int i = 0; i < 4; i++) {
            assertThat(ask(i % 2, growth, "pricey", i).statusCode()).isEqualTo(200);
            assertThat(ask(i % 2, other, "cheap", i).statusCode()).isEqualTo(200);
        }
        assertThat(ask(0, ADMIN, "cheap", 9).statusCode()).isEqualTo(200);
        Money growthSpend = ledgerSpend("growth-" + run);
        Money infraSpend = ledgerSpend("infra-" + run);

        JsonNode all = report(1, ADMIN, "");
        JsonNode growthLine = line(all.get("by_key"), "growth-" + run);
        assertThat(growthLine.get("team").asText()).isEqualTo("growth");
        assertThat(growthLine.get("requests").asLong()).isEqualTo(4);
        assertThat(growthLine.get("cost_usd").decimalValue()).isEqualByComparingTo(growthSpend.usd());
        assertThat(line(all.get("by_key"), "infra-" + run).get("cost_usd").decimalValue()).isEqualByComparingTo(infraSpend.usd());
        assertThat(line(all.get("by_team"), "infra").get("cost_usd").decimalValue()).isEqualByComparingTo(infraSpend.usd());
        assertThat(all.get("by_key").findValues("name")).anyMatch(JsonNode::isNull); // the gateway key's request
        JsonNode bar = line(all.get("key_budgets"), "growth-" + run);
        assertThat(bar.get("limit_usd").decimalValue()).isEqualByComparingTo("5");
        assertThat(bar.get("spent_usd").decimalValue()).isEqualByComparingTo(growthSpend.usd());
        assertThat(bar.get("period").asText()).isEqualTo("day");

        JsonNode scoped = report(0, ADMIN, "?key=infra-" + run);
        assertThat(scoped.get("total_cost_usd").decimalValue()).isEqualByComparingTo(infraSpend.usd());
        assertThat(scoped.get("requests").asLong()).isEqualTo(4);
        assertThat(scoped.at("/scope/key").asText()).isEqualTo("infra-" + run);
        assertThat(report(0, ADMIN, "?team=growth").get("total_cost_usd").decimalValue()).isGreaterThanOrEqualTo(growthSpend.usd());

        // The key's own view: only its requests, without the gateway's budgets; other keys and teams are refused.
        JsonNode own = report(1, growth, "");
        assertThat(own.at("/scope/key").asText()).isEqualTo("growth-" + run);
        assertThat(own.get("total_cost_usd").decimalValue()).isEqualByComparingTo(growthSpend.usd());
        assertThat(own.get("by_key")).hasSize(1);
        assertThat(own.get("budgets")).isEmpty();
        HttpResponse<String> refused = reportResponse(1, growth, "?key=infra-" + run);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("report_scope_not_allowed");
        assertThat(reportResponse(1, growth, "?team=growth").statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = reportResponse(0, ADMIN, "?key=nobody-" + run);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/error/param").asText()).isEqualTo("key");
        assertThat(reportResponse(0, "tk_AAAAAAAA_" + "b".repeat(32), "").statusCode()).isEqualTo(401);
    }

    private static JsonNode line(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (name.equals(n.path("name").asText(null)) || name.equals(n.path("key").asText(null))) {
                return n;
            }
        }
        throw new AssertionError(name + " not in " + array);
    }
}
