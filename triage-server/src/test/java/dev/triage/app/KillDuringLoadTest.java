package dev.triage.app;

import static dev.triage.app.GatewayYaml.fastFrom;
import static dev.triage.app.GatewayYaml.server;
import static dev.triage.app.GatewayYaml.storage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.testing.PostgresSchema;
import dev.triage.testing.TcpProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real gateway process under load, twice — once with PostgreSQL up, once while it
 * is unreachable (a {@link TcpProxy} cut) — then a restart, and every call the upstream served is
 * looked for in the ledger.
 *
 * <p>What the ledger guarantees: a row is durable once the batch holding it is fsynced to the spool,
 * which happens within the batch linger (50 ms) plus one fsync of the upstream call ending. A kill
 * loses exactly the rows still in memory at that moment. So the test asserts that no row is ever
 * duplicated or invented, that every call that ended more than {@link #LOSS_WINDOW} before a kill has
 * its row, and it prints how many rows the kills did cost and how old the oldest of them was.
 */
class KillDuringLoadTest {

    /** Generous for a shared two-core machine; the measured window is printed (tens of milliseconds). */
    private static final Duration LOSS_WINDOW = Duration.ofSeconds(1);
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private final PostgresSchema schema = PostgresSchema.create("gw_kill");
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
    // Every fifth call fails with 503, so retries give some requests two or three attempts.
    private final RecordingUpstream upstream = new RecordingUpstream(5, user -> Duration.ofMillis(20));
    private final List<GatewayProcess> gateways = new ArrayList<>();

    KillDuringLoadTest() throws SQLException {
    }

    @AfterEach
    void cleanUp() throws SQLException {
        gateways.forEach(GatewayProcess::close);
        upstream.close();
        proxy.close();
        schema.close();
    }

    private void awaitCalls(int atLeast, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (upstream.calls().size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the load made only " + upstream.calls().size() + " upstream calls in " + max
                        + ", expected " + atLeast);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void afterKillsDuringLoadEveryUpstreamCallIsInTheLedgerOnceExceptTheLastMomentsBeforeEachKill() throws Exception {
        // Run A: PostgreSQL up, killed mid-load.
        GatewayProcess a = start();
        long killA;
        try (Load load = new Load(a, "a")) {
            // wait for calls rather than for time: on a loaded machine two seconds may hold few calls
            awaitCalls(180, Duration.ofSeconds(60));
            killA = System.nanoTime();
            a.kill();
        }

        // Run B: starts by writing what A spooled; PostgreSQL becomes unreachable mid-load; killed during the outage.
        GatewayProcess b = start();
        long cut;
        long killB;
        try (Load load = new Load(b, "b")) {
            int before = upstream.calls().size();
            awaitCalls(before + 70, Duration.ofSeconds(60));
            cut = System.nanoTime();
            proxy.cut();
            awaitCalls(before + 160, Duration.ofSeconds(60));
            killB = System.nanoTime();
            b.kill();
        }

        // Run C: PostgreSQL back; C writes what B spooled during the outage, then stops cleanly.
        proxy.restore();
        GatewayProcess c = start();
        c.sigterm();
        assertThat(c.await(Duration.ofSeconds(30))).isEqualTo(143);
        assertThat(c.log()).contains("Triage: stopped; every ledger entry is in the database");

        Map<String, List<RecordingUpstream.Call>> calls = upstream.calls().stream()
                .filter(call -> call.user() != null)
                .collect(Collectors.groupingBy(RecordingUpstream.Call::user, TreeMap::new, Collectors.toList()));
        Map<String, List<Integer>> attempts = attemptsByUser();
        List<Long> killTimes = List.of(killA, killB);

        List<Long> lostAges = new ArrayList<>();
        int rows = 0;
        int callCount = 0;
        int spooledDuringOutage = 0;
        for (Map.Entry<String, List<RecordingUpstream.Call>> e : calls.entrySet()) {
            List<RecordingUpstream.Call> served = e.getValue().stream().sorted(Comparator.comparingLong(RecordingUpstream.Call::endNanos)).toList();
            List<Integer> stored = attempts.getOrDefault(e.getKey(), List.of());
            callCount += served.size();
            rows += stored.size();
            // Never a row without a call, never one twice: attempts are exactly 1..n for n <= calls.
            assertThat(stored).as(e.getKey()).isEqualTo(IntStream.rangeClosed(1, stored.size()).boxed().toList());
            assertThat(stored.size()).as(e.getKey()).isLessThanOrEqualTo(served.size());
            for (RecordingUpstream.Call call : served.subList(0, stored.size())) {
                if (call.endNanos() > cut && call.endNanos() < killB) {
                    spooledDuringOutage++;
                }
            }
            // The calls without a row are the latest of their request. Each must have ended just before a kill,
            // or after it: a call in flight when its gateway died, answered to nobody.
            for (RecordingUpstream.Call lost : served.subList(stored.size(), served.size())) {
                long kill = killTimes.stream().min(Comparator.comparingLong(k -> Math.abs(k - lost.endNanos()))).orElseThrow();
                long age = kill - lost.endNanos();
                assertThat(Duration.ofNanos(Math.abs(age))).as("how near a kill the lost call %s ended", lost)
                        .isLessThan(LOSS_WINDOW);
                lostAges.add(age);
            }
        }
        assertThat(attempts.keySet()).as("rows whose user never called the upstream").isSubsetOf(calls.keySet());
        assertThat(callCount).as("upstream calls made under load").isGreaterThan(300);
        assertThat(spooledDuringOutage).as("rows that existed only in the spool when B was killed").isPositive();

        long endedBefore = lostAges.stream().filter(age -> age >= 0).count();
        long oldestMs = lostAges.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
        System.out.printf("kill -9 during load: %d upstream calls, %d ledger rows; the two kills cost %d rows: %d calls"
                        + " still in flight, %d that had ended up to %d ms before the kill; %d rows existed only in the"
                        + " spool when B was killed during the outage and reached PostgreSQL after the restart%n",
                callCount, rows, lostAges.size(), lostAges.size() - endedBefore, endedBefore, oldestMs, spooledDuringOutage);
    }

    private GatewayProcess start() {
        GatewayProcess gw = GatewayProcess.start(dir, server() + storage(schema.urlWithUser(proxy), dir.resolve("spool"))
                + "resilience: {max_retries: 2, backoff_initial_ms: 1, backoff_max_ms: 2, breaker_failure_threshold: 1000000}\n"
                + fastFrom(upstream.baseUrl()));
        gateways.add(gw);
        return gw;
    }

    /** Clients sending requests (every third streamed) as fast as the gateway answers, each with a user of its own. */
    private static final class Load implements AutoCloseable {
        private final List<Thread> clients = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean stopped;

        Load(GatewayProcess gw, String prefix) {
            URI uri = URI.create("http://127.0.0.1:" + gw.port() + "/v1/chat/completions");
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Thread.ofPlatform().daemon(true).name("load-" + prefix + i).start(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2)).build();
                    while (!stopped) {
                        int n = next.incrementAndGet();
                        String body = """
                                {"model":"fast","user":"%s-%d","stream":%s,"messages":[{"role":"user","content":"Say hello"}]}"""
                                .formatted(prefix, n, n % 3 == 0);
                        try {
                            client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                                    .header("content-type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        } catch (IOException e) {
                            // the gateway was killed under this request
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            for (Thread t : clients) {
                t.join(15_000);
            }
        }
    }

    private Map<String, List<Integer>> attemptsByUser() throws SQLException {
        Map<String, List<Integer>> out = new TreeMap<>();
        try (Connection c = schema.connect();
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT user_id, attempt FROM " + schema.name()
                     + ".ledger_attempts ORDER BY user_id, attempt")) {
            while (rows.next()) {
                out.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getInt(2));
            }
        }
        return out;
    }
}
