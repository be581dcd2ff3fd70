package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.budget.redis.RedisBudgetStore;
import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.NewKey;
import dev.triage.testing.Eventually;
import dev.triage.testing.PostgresSchema;
import dev.triage.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage.redis_outage: allow_local} end to end: three gateway instances in one JVM sharing the machine's
 * PostgreSQL (a schema of this test's own: ledger and virtual keys) and its Redis through one {@link TcpProxy},
 * which the test cuts. While Redis is away each instance answers budgeted requests from its share of what the
 * budget had left, (limit - committed) / 3, and then refuses with 429; once Redis is back the budget in Redis
 * holds every answer's cost. {@link SharedBudgetGatewayTest} shows the default, fail_closed, refusing with 503.
 */
class RedisOutageGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-0123456789abcdef";
    /** Each answer: about 30 prompt tokens at $1/Mtok and 64 output tokens at $100/Mtok, about $0.0064. */
    private static final String MODELS = """
            providers:
              sim: {kind: simulated, latency_ms: 5, output_tokens: 64}
            models:
              pricey: {provider: sim, input_per_mtok: 1, output_per_mtok: 100}
            """;
    /** Worst case of one request: max_tokens 64 at $100/Mtok plus its prompt: under $0.0075. */
    private static final Money WORST_CASE = Money.ofUsd("0.0075");
    private static final Money BUDGET = Money.ofUsd("0.20");
    private static final int INSTANCES = 3;
    private static final Pattern INSTANCES_GAUGE = Pattern.compile("(?m)^triage_budget_store_instances (\\S+)$");

    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String route = "outage-" + run;
    private final List<TriageApp> running = new ArrayList<>();
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TcpProxy redis = new TcpProxy("127.0.0.1", 6379);

    @AfterEach
    void stopAll() throws Exception {
        running.forEach(TriageApp::close);
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        redis.close();
    }

    private String config(String ledger) {
        return """
                server: {host: 127.0.0.1, port: 0, request_timeout_ms: 10000, api_keys: [%s]}
                storage: {ledger: "%s", spool_max_bytes: 0, redis: "redis://127.0.0.1:%d/0", redis_outage: allow_local}
                """.formatted(ADMIN, ledger, redis.port()) + MODELS + """
                routes:
                  %s:
                    policy: tiered
                    tiers:
                      only: {models: [pricey], daily_budget_usd: %s}
                """.formatted(route, BUDGET.toUsdString());
    }

    private List<TriageApp> startInstances() throws Exception {
        PostgresSchema schema = PostgresSchema.create("redis_outage");
        closeLast.add(schema);
        String yaml = config(schema.urlWithUser());
        List<TriageApp> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            TriageApp app = TriageApp.start(ConfigLoader.parse(yaml, "triage.yaml", Map.of()), null, Clock.systemUTC(), null);
            running.add(app);
            instances.add(app);
        }
        for (TriageApp app : instances) {
            Eventually.await(() -> INSTANCES == (int) gauge(app, INSTANCES_GAUGE), "every instance counts " + INSTANCES);
        }
        return instances;
    }

    private HttpResponse<String> ask(TriageApp app, String apiKey, String model, int maxTokens, int i) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Request " + i + ": explain in one paragraph why the sky looks blue at noon.\"}]}";
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                    .header("Authorization", "Bearer " + apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(TriageApp app, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).header("Authorization",
                    "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double gauge(TriageApp app, Pattern metric) {
        Matcher m = metric.matcher(get(app, "/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static Money cost(HttpResponse<String> r) {
        return Money.ofUsd(r.headers().firstValue("x-triage-cost-usd").orElseThrow());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).at("/error/code").asText();
    }

    /** Redis itself, not through the proxy: what a budget holds there. */
    private static Money committedInRedis(String budgetKey, LocalDate day) {
        try (RedisBudgetStore direct = new RedisBudgetStore("redis://127.0.0.1:6379/0", SharedState.BUDGET_KEY_PREFIX,
                Duration.ofMinutes(1), Duration.ofSeconds(2))) {
            return direct.committed(budgetKey, day);
        }
    }

    /**
     * Spends through every instance while Redis answers, cuts it, spends each instance's share, restores it, and
     * checks the bound and the recovered total. {@code refusal} is the 429 code once a share is spent.
     */
    private void spendThroughAnOutage(List<TriageApp> instances, String apiKey, String model, String refusal, String budgetKey)
            throws Exception {
        Money spent = Money.ZERO;
        for (int i = 0; i < 2 * INSTANCES; i++) {
            HttpResponse<String> r = ask(instances.get(i % INSTANCES), apiKey, model, 64, i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            spent = spent.plus(cost(r));
        }
        // a worst case above the whole budget is refused, and each instance reads the budget as it is now
        for (TriageApp app : instances) {
            HttpResponse<String> probe = ask(app, apiKey, model, 5_000, 100);
            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(429);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(committedInRedis(budgetKey, today)).isEqualTo(spent);
        Money left = BUDGET.minus(spent);
        Money share = new Money(left.picos() / INSTANCES);

        redis.cut();
        ExecutorService pool = Executors.newFixedThreadPool(4 * INSTANCES);
        List<List<Future<HttpResponse<String>>>> answers = new ArrayList<>();
        for (int n = 0; n < INSTANCES; n++) {
            List<Future<HttpResponse<String>>> mine = new ArrayList<>();
            TriageApp app = instances.get(n);
            for (int i = 0; i < 25; i++) {
                int request = 1000 * (n + 1) + i;
                mine.add(pool.submit(() -> ask(app, apiKey, model, 64, request)));
            }
            answers.add(mine);
        }
        Money spentLocally = Money.ZERO;
        for (int n = 0; n < INSTANCES; n++) {
            Money mine = Money.ZERO;
            int answered = 0;
            for (Future<HttpResponse<String>> f : answers.get(n)) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) {
                    mine = mine.plus(cost(r));
                    answered++;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                    assertThat(code(r)).isEqualTo(refusal);
                }
            }
            System.out.printf("instance %d with Redis away: %d answered, $%s of its share $%s%n", n, answered, mine.toUsdString(),
                    share.toUsdString());
            assertThat(mine.compareTo(share)).as("instance %d spends at most its third of what was left", n).isLessThanOrEqualTo(0);
            assertThat(mine.compareTo(share.minus(WORST_CASE.times(5)))).as("and uses it").isGreaterThan(0);
            assertThat(gauge(instances.get(n), Pattern.compile("(?m)^triage_budget_local_reservations_total (\\S+)$")))
                    .isEqualTo((double) answered);
            assertThat(get(instances.get(n), "/readyz")).isEqualTo("{\"status\":\"degraded\",\"ledger\":\"up\",\"budget_store\":\"local\"}");
            assertThat(gauge(instances.get(n), Pattern.compile("(?m)^triage_budget_store_local (\\S+)$"))).isEqualTo(1.0);
            spentLocally = spentLocally.plus(mine);
        }
        pool.shutdown();
        assertThat(spentLocally.compareTo(left)).as("together at most what was left").isLessThanOrEqualTo(0);

        redis.restore();
        for (TriageApp app : instances) {
            Eventually.await(() -> get(app, "/readyz").contains("\"budget_store\":\"up\"")
                    && gauge(app, Pattern.compile("(?m)^triage_budget_store_local (\\S+)$")) == 0.0, "the instance shares budgets again");
        }
        Money total = committedInRedis(budgetKey, today);
        System.out.printf("%s: $%s through Redis, $%s locally; Redis holds $%s of $%s once back%n", budgetKey, spent.toUsdString(),
                spentLocally.toUsdString(), total.toUsdString(), BUDGET.toUsdString());
        assertThat(total).as("Redis holds every answer's cost").isEqualTo(spent.plus(spentLocally));
        assertThat(spent.plus(spentLocally).compareTo(BUDGET)).isLessThanOrEqualTo(0);
    }

    @Test
    void aTierBudgetIsSpentInSharesWhileRedisIsAwayAndRedisHasItAllAfterwards() throws Exception {
        List<TriageApp> instances = startInstances();
        spendThroughAnOutage(instances, ADMIN, route, "budget_exhausted", route + "/only");
    }

    @Test
    void aVirtualKeysBudgetIsSpentInSharesTheSameWay() throws Exception {
        List<TriageApp> instances = startInstances();
        String name = "outage-" + run;
        String secret = instances.getFirst().ledger().keys().create(new NewKey(name, "growth", BUDGET, KeyPeriod.DAY, Set.of(),
                Set.of(), null, null, null), Instant.now()).secret();
        // the model directly, so the key's budget is the only one
        spendThroughAnOutage(instances, secret, "pricey", "key_budget_exhausted", "key:" + name);
    }

    @Test
    void anInstanceThatNeverReachedRedisRefusesBudgetedRequestsUntilItDoes() throws Exception {
        redis.cut();
        TriageApp app = TriageApp.start(ConfigLoader.parse(config("sqlite:" + dir.resolve("ledger.db")), "triage.yaml", Map.of()),
                null, Clock.systemUTC(), null);
        running.add(app);
        HttpResponse<String> refused = ask(app, ADMIN, route, 64, 1);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(code(refused)).isEqualTo("budget_store_unavailable");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
        assertThat(get(app, "/readyz")).isEqualTo("{\"status\":\"degraded\",\"ledger\":\"up\",\"budget_store\":\"unavailable\"}");
        assertThat(gauge(app, INSTANCES_GAUGE)).isZero();

        redis.restore();
        Eventually.await(() -> ask(app, ADMIN, route, 64, 2).statusCode() == 200, "budgeted requests answer once Redis does");
        Eventually.await(() -> gauge(app, INSTANCES_GAUGE) == 1.0, "its first beat that Redis answers counts it");
    }
}
