package dev.triage.app;

import static dev.triage.app.GatewayYaml.fastFrom;
import static dev.triage.app.GatewayYaml.server;
import static dev.triage.app.GatewayYaml.storage;
import static dev.triage.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.ledger.jdbc.JdbcLedger;
import dev.triage.ledger.jdbc.LedgerOptions;
import dev.triage.testing.PostgresSchema;
import dev.triage.testing.TcpProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real gateway process ({@code triage serve} in its own JVM), with its ledger on the real
 * PostgreSQL behind a {@link TcpProxy} so the database can be taken away, and a {@link RecordingUpstream}
 * whose {@code slow-*} users take four seconds to answer.
 */
class GracefulShutdownTest {

    private static final Duration SLOW = Duration.ofSeconds(4);
    /** What a JVM that ran its shutdown hooks after SIGTERM exits with: 128 + 15. */
    private static final int EXIT_AFTER_SIGTERM = 143;

    @TempDir
    Path dir;

    private final PostgresSchema schema = PostgresSchema.create("gw_shutdown");
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
    private final RecordingUpstream upstream = new RecordingUpstream(0,
            user -> user != null && user.startsWith("slow") ? SLOW : Duration.ZERO);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<GatewayProcess> gateways = new ArrayList<>();
    // Held until the test ends: a JDK HttpClient that is no longer referenced may be collected and shut down,
    // failing its calls in flight ("header parser received no bytes"), which happened under load.
    private final List<HttpClient> ownClients = new ArrayList<>();

    GracefulShutdownTest() throws SQLException {
    }

    @AfterEach
    void cleanUp() throws SQLException {
        gateways.forEach(GatewayProcess::close);
        ownClients.forEach(HttpClient::close);
        client.close();
        upstream.close();
        proxy.close();
        schema.close();
    }

    @Test
    void sigtermStopsAcceptingLetsARequestAndAStreamInFlightFinishThenWritesEveryRow() throws Exception {
        GatewayProcess gw = start(15_000);
        for (int i = 1; i <= 3; i++) {
            assertThat(chat(gw, "fast-" + i, false).statusCode()).isEqualTo(200);
        }
        CompletableFuture<HttpResponse<String>> plain = chatAsync(gw, "slow-plain", false);
        CompletableFuture<HttpResponse<String>> stream = chatAsync(gw, "slow-stream", true);
        await(() -> upstream.arrived("slow-plain") && upstream.arrived("slow-stream"), "both slow calls reach the upstream");

        gw.sigterm();

        await(() -> refused(gw.port()), "the gateway refuses new connections");
        // A request on a connection kept alive from before is turned away too (503 until Jetty closes idle connections).
        assertThat(lateRequestOnAnOpenConnection(gw)).isIn("503", "connection closed");
        assertThat(plain).isNotDone();
        assertThat(stream).isNotDone();
        HttpResponse<String> plainResponse = answer(plain, gw);
        assertThat(plainResponse.statusCode()).isEqualTo(200);
        assertThat(plainResponse.body()).contains("\"content\":\"Hello there!\"");
        HttpResponse<String> streamResponse = answer(stream, gw);
        assertThat(streamResponse.statusCode()).isEqualTo(200);
        assertThat(streamResponse.body()).contains("\"content\":\" there!\"").endsWith("data: [DONE]\n\n");
        assertThat(gw.await(Duration.ofSeconds(30))).isEqualTo(EXIT_AFTER_SIGTERM);

        assertThat(gw.log()).contains("Triage: stopped; every ledger entry is in the database");
        assertThat(upstream.arrived("late")).isFalse();
        assertThat(schema.column("SELECT user_id || ':' || status || ':' || stream FROM " + schema.name()
                + ".ledger_attempts ORDER BY user_id"))
                .containsExactly("fast-1:OK:false", "fast-2:OK:false", "fast-3:OK:false", "slow-plain:OK:false",
                        "slow-stream:OK:true");
    }

    @Test
    void sigtermWhilePostgresqlIsDownLeavesTheRowsInTheSpoolAndTheNextStartWritesThem() throws Exception {
        GatewayProcess gw = start(15_000);
        assertThat(chat(gw, "fast-1", false).statusCode()).isEqualTo(200);
        assertThat(chat(gw, "fast-2", false).statusCode()).isEqualTo(200);
        await(() -> count() == 2, "the first two rows reach PostgreSQL");
        proxy.cut();
        assertThat(chat(gw, "fast-3", false).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> plain = chatAsync(gw, "slow-plain", false);
        await(() -> upstream.arrived("slow-plain"), "the slow call reaches the upstream");

        long signalled = System.nanoTime();
        gw.sigterm();

        assertThat(answer(plain, gw).statusCode()).isEqualTo(200);
        assertThat(gw.await(Duration.ofSeconds(30))).isEqualTo(EXIT_AFTER_SIGTERM);
        // The slow answer, then about a second for a database that keeps failing; not the 10 s flush timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(SLOW.plusSeconds(4));
        assertThat(gw.log()).containsPattern("Triage: stopped; \\d+ bytes of ledger entries wait in the spool for the next start");
        assertThat(count()).isEqualTo(2);

        proxy.restore();
        try (JdbcLedger next = JdbcLedger.open(ledgerUrl(), LedgerOptions.defaults().withSpool(spool(), LedgerOptions.DEFAULT_SPOOL_MAX_BYTES))) {
            assertThat(schema.column("SELECT user_id FROM " + schema.name() + ".ledger_attempts ORDER BY user_id"))
                    .containsExactly("fast-1", "fast-2", "fast-3", "slow-plain");
            assertThat(next.spooledBytes()).isZero();
        }
    }

    @Test
    void aRequestStillRunningWhenTheGracePeriodEndsIsCutOffAndTheProcessExitsOnTime() throws Exception {
        GatewayProcess gw = start(300);
        CompletableFuture<HttpResponse<String>> plain = chatAsync(gw, "slow-plain", false);
        await(() -> upstream.arrived("slow-plain"), "the slow call reaches the upstream");

        long signalled = System.nanoTime();
        gw.sigterm();

        assertThat(gw.await(Duration.ofSeconds(30))).isEqualTo(EXIT_AFTER_SIGTERM);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(SLOW);
        assertThatThrownBy(() -> plain.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    private GatewayProcess start(long graceMs) {
        GatewayProcess gw = GatewayProcess.start(dir, server(", shutdown_grace_ms: " + graceMs) + storage(ledgerUrl(), spool())
                + "resilience: {max_retries: 0}\n" + fastFrom(upstream.baseUrl()));
        gateways.add(gw);
        return gw;
    }

    private String ledgerUrl() {
        return schema.urlWithUser(proxy);
    }

    private Path spool() {
        return dir.resolve("spool");
    }

    private HttpRequest request(GatewayProcess gw, String user, boolean stream) {
        String body = """
                {"model":"fast","user":"%s","stream":%s,"messages":[{"role":"user","content":"Say hello"}]}"""
                .formatted(user, stream);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> chat(GatewayProcess gw, String user, boolean stream) throws IOException, InterruptedException {
        return client.send(request(gw, user, stream), HttpResponse.BodyHandlers.ofString());
    }

    private String lateRequestOnAnOpenConnection(GatewayProcess gw) throws InterruptedException {
        try {
            return Integer.toString(chat(gw, "late", false).statusCode());
        } catch (IOException e) {
            return "connection closed";
        }
    }

    // A client of its own: a connection of the shared client's pool could be closed by the shutdown.
    private CompletableFuture<HttpResponse<String>> chatAsync(GatewayProcess gw, String user, boolean stream) {
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ownClients.add(own);
        return own.sendAsync(request(gw, user, stream), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer to a call in flight; when there is none, the failure says what the gateway logged. */
    private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> call, GatewayProcess gw) throws Exception {
        try {
            return call.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("no answer (" + e.getCause() + "); the gateway logged:\n" + gw.log(), e);
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private long count() {
        try {
            return Long.parseLong(schema.column("SELECT COUNT(*) FROM " + schema.name() + ".ledger_attempts").getFirst());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
