package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.report.ReportPeriod;
import dev.triage.testing.PostgresSchema;
import dev.triage.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several gateway instances in one JVM, each with its own HTTP port and connections, sharing the machine's
 * PostgreSQL (a schema of this test's own) as the ledger and its Redis as the budget store: one budget
 * holds under concurrent load across all of them and stays spent when they all restart; a single
 * instance without Redis keeps its day's spend across a restart by reading the ledger back.
 */
class SharedBudgetGatewayTest {

    /** Each answer: about 30 prompt tokens at $1/Mtok and 64 output tokens at $100/Mtok, about $0.0064. */
    private static final String MODELS = """
            providers:
              sim: {kind: simulated, latency_ms: 20, output_tokens: 64}
            models:
              pricey: {provider: sim, input_per_mtok: 1, output_per_mtok: 100}
            """;
    /** Worst case of one request: max_tokens 64 at $100/Mtok plus its prompt: under $0.0075. */
    private static final Money WORST_CASE = Money.ofUsd("0.0075");
    private static final Money BUDGET = Money.ofUsd("0.5");

    @TempDir
    Path dir;

    private final String route = "shared-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<TriageApp> running = new ArrayList<>();
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stopAll() throws Exception {
        running.forEach(TriageApp::close);
        for (AutoCloseable c : closeLast) {
            c.close();
        }
    }

    private String config(String ledger, String redis) {
        return """
                server: {host: 127.0.0.1, port: 0, request_timeout_ms: 10000}
                storage: {ledger: "%s", spool_max_bytes: 0%s}
                """.formatted(ledger, redis == null ? "" : ", redis: \"" + redis + "\"") + MODELS + """
                routes:
                  %s:
                    policy: tiered
                    tiers:
                      only: {models: [pricey], daily_budget_usd: %s}
                """.formatted(route, BUDGET.toUsdString());
    }

    private TriageApp start(String yaml) {
        TriageApp app = TriageApp.start(ConfigLoader.parse(yaml, "triage.yaml", Map.of()), null, Clock.systemUTC(), null);
        running.add(app);
        return app;
    }

    private void stopAllInstances() {
        running.forEach(TriageApp::close);
        running.clear();
    }

    private HttpResponse<String> ask(TriageApp app, int i) {
        String body = "{\"model\":\"" + route + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Request " + i + ": explain in one paragraph why the sky looks blue at noon.\"}]}";
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Money spentToday(TriageApp app) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return app.ledger().reports().spent(route, "only",
                new ReportPeriod(today.atStartOfDay(ZoneOffset.UTC).toInstant(), Instant.now().plusSeconds(1)));
    }

    @Test
    void fourInstancesHoldOneBudgetUnder600ConcurrentRequestsAndKeepItSpentAcrossRestarts() throws Exception {
        PostgresSchema schema = PostgresSchema.create("shared_budget");
        closeLast.add(schema);
        String yaml = config(schema.urlWithUser(), "redis://127.0.0.1:6379/0");
        List<TriageApp> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(start(yaml));
        }

        ExecutorService pool = Executors.newFixedThreadPool(48);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            TriageApp app = instances.get(i % 4);
            int n = i;
            answers.add(pool.submit(() -> ask(app, n)));
        }
        int ok = 0;
        int refused = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.body()).contains("budget_exhausted");
                refused++;
            }
        }
        pool.shutdown();
        Money spent = spentToday(instances.getFirst());
        System.out.printf("four instances, 600 requests: %d answered, %d refused, spent $%s of $%s%n",
                ok, refused, spent.toUsdString(), BUDGET.toUsdString());
        assertThat(ok).as("the budget buys about 78 answers").isBetween(60, 90);
        assertThat(refused).isEqualTo(600 - ok);
        assertThat(spent.compareTo(BUDGET.plus(WORST_CASE))).as("overspend at most one request's worst case").isLessThanOrEqualTo(0);
        assertThat(spent.compareTo(BUDGET.minus(WORST_CASE.plus(WORST_CASE)))).as("and the budget is used").isGreaterThan(0);

        stopAllInstances();
        List<TriageApp> restarted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            restarted.add(start(yaml));
        }
        for (TriageApp app : restarted) {
            HttpResponse<String> r = ask(app, 1000);
            assertThat(r.statusCode()).as("a restart gives nothing back: " + r.body()).isEqualTo(429);
        }
        assertThat(spentToday(restarted.getFirst())).isEqualTo(spent);
    }

    @Test
    void oneInstanceWithoutRedisReadsTodaysSpendBackFromTheLedgerAtStart() throws Exception {
        String yaml = config("sqlite:" + dir.resolve("ledger.db"), null);
        TriageApp first = start(yaml);
        int ok = 0;
        HttpResponse<String> last;
        do {
            last = ask(first, ok);
            if (last.statusCode() == 200) {
                ok++;
            }
        } while (last.statusCode() == 200 && ok < 200);
        assertThat(last.statusCode()).as(last.body()).isEqualTo(429);
        Money spent = spentToday(first);
        stopAllInstances();

        TriageApp second = start(yaml);
        HttpResponse<String> after = ask(second, 999);
        assertThat(after.statusCode()).as("the day's budget stays spent: " + after.body()).isEqualTo(429);
        assertThat(after.body()).contains("budget_exhausted");
        assertThat(spentToday(second)).isEqualTo(spent);
        assertThat(Files.exists(dir.resolve("ledger.db"))).isTrue();
    }

    @Test
    void whileRedisIsAwayBudgetedRequestsAreRefusedWith503AndReadyzSaysSoThenItRecovers() throws Exception {
        TcpProxy redis = new TcpProxy("127.0.0.1", 6379);
        closeLast.add(redis);
        TriageApp app = start(config("sqlite:" + dir.resolve("ledger.db"), "redis://127.0.0.1:" + redis.port() + "/0"));
        assertThat(ask(app, 1).statusCode()).isEqualTo(200);

        redis.cut();
        HttpResponse<String> refused = ask(app, 2);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"budget_store_unavailable\"");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.body()).isEqualTo("{\"status\":\"degraded\",\"ledger\":\"up\",\"budget_store\":\"unavailable\"}");
        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("triage_budget_store_available 0.0");
        assertThat(app.ledger().count()).as("the refused request cost nothing").isEqualTo(1);

        redis.restore();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status;
        do {
            Thread.sleep(200);
            status = ask(app, 3).statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }
}
