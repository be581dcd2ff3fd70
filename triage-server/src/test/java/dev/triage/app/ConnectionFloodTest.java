package dev.triage.app;

import static dev.triage.app.GatewayYaml.fastFrom;
import static dev.triage.app.GatewayYaml.server;
import static dev.triage.app.GatewayYaml.sqliteStorage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, defect 1: a flood of slow connections must not take the gateway down. A real gateway
 * process, started with the launcher's JVM options (a 128 MB heap), gets {@link #CONNECTIONS} slow
 * connections for {@link #FLOOD}, each sending {@code POST /v1/chat/completions HTTP/1.1} and
 * {@code Host: x}, then one header line every {@link #HEADER_LINE_EVERY}, and opening again whenever
 * the gateway closes it. While that lasts and afterwards, {@code GET /healthz} on a fresh connection
 * answers within {@link #HEALTHY}, and a normal chat call succeeds once it is over.
 *
 * <p>The slow clients run in {@link #FLOOD_PROCESSES} processes of their own: a process may open
 * 20,000 files here, so one process cannot hold them all. They run at a lower CPU priority ({@code nice}) where
 * the machine has it: a real attacker's CPU is not the gateway's, and on a 2-core test machine four busy client
 * JVMs would otherwise measure the clients rather than the gateway.
 */
class ConnectionFloodTest {

    static final int CONNECTIONS = 20_000;
    static final Duration FLOOD = Duration.ofSeconds(60);
    static final Duration HEADER_LINE_EVERY = Duration.ofSeconds(8);
    static final Duration HEALTHY = Duration.ofSeconds(1);
    private static final int FLOOD_PROCESSES = 4;
    private static final Duration PROBE_EVERY = Duration.ofMillis(250);
    private static final Pattern DONE = Pattern.compile("done opened=(\\d+) closedByServer=(\\d+) failedConnects=(\\d+)");
    private static final Pattern TICK = Pattern.compile("tick=(\\d+) held=(\\d+) ");

    @TempDir
    Path dir;

    private final RecordingUpstream upstream = new RecordingUpstream(0, user -> Duration.ZERO);
    private final List<Process> floods = new ArrayList<>();
    private GatewayProcess gateway;

    @AfterEach
    void stop() {
        floods.forEach(Process::destroyForcibly);
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    @Test
    void healthzAnswersWithinASecondDuringAndAfterTwentyThousandSlowConnectionsAndAChatCallSucceedsAfter() throws Exception {
        gateway = GatewayProcess.start(dir, server() + sqliteStorage(dir) + fastFrom(upstream.baseUrl()),
                GatewayProcess.launcherOptions());
        assertThat(healthz(gateway.port()).status()).isEqualTo(200);

        for (int i = 0; i < FLOOD_PROCESSES; i++) {
            floods.add(flood(i, CONNECTIONS / FLOOD_PROCESSES));
        }
        List<Probe> during = new ArrayList<>();
        long end = System.nanoTime() + FLOOD.toNanos();
        while (System.nanoTime() < end && floods.stream().anyMatch(Process::isAlive)) {
            long start = System.nanoTime();
            during.add(healthz(gateway.port()));
            TimeUnit.NANOSECONDS.sleep(Math.max(0, PROBE_EVERY.toNanos() - (System.nanoTime() - start)));
        }

        long opened = 0;
        int peakHeld = 0;
        for (int i = 0; i < floods.size(); i++) {
            Process flood = floods.get(i);
            assertThat(flood.waitFor(FLOOD.toSeconds() + 30, TimeUnit.SECONDS)).as("flood process %d ended", i).isTrue();
            String out = Files.readString(dir.resolve("flood-" + i + ".out"));
            Matcher done = DONE.matcher(out);
            assertThat(done.find()).as("flood process %d output:%n%s", i, out).isTrue();
            opened += Long.parseLong(done.group(1));
            int held = 0;
            for (Matcher tick = TICK.matcher(out); tick.find(); ) {
                held = Math.max(held, Integer.parseInt(tick.group(2)));
            }
            peakHeld += held;
        }
        List<Probe> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            after.add(healthz(gateway.port()));
        }
        String chat = chatAfterFlood();

        long slowest = during.stream().mapToLong(Probe::millis).max().orElse(-1);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < during.size(); i++) {
            Probe p = during.get(i);
            if (p.status() != 200 || p.millis() >= HEALTHY.toMillis()) {
                failed.add("#" + i + ": " + p);
            }
        }
        System.out.printf("connection flood: %d slow connections opened over %d s (at most %d still open when their next"
                        + " header line was due); %d /healthz probes during it, slowest %d ms, failed or slower than %d ms: %s;"
                        + " after it %s; then a chat call: %s%n",
                opened, FLOOD.toSeconds(), peakHeld, during.size(), slowest, HEALTHY.toMillis(), failed, after, chat);
        assertThat(opened).as("connections the flood opened").isGreaterThanOrEqualTo(CONNECTIONS);
        assertThat(during).as("probes during the flood").hasSizeGreaterThan((int) (FLOOD.toMillis() / PROBE_EVERY.toMillis() / 2));
        assertThat(during).as("/healthz during the flood (gateway log:%n%s)", tail(gateway.log()))
                .allSatisfy(p -> {
                    assertThat(p.status()).isEqualTo(200);
                    assertThat(p.millis()).isLessThan(HEALTHY.toMillis());
                });
        assertThat(after).as("/healthz after the flood").allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(200);
            assertThat(p.millis()).isLessThan(HEALTHY.toMillis());
        });
        assertThat(chat).startsWith("200 ");
        assertThat(upstream.arrived("after-flood")).isTrue();
        assertThat(gateway.alive()).isTrue();
        assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
    }

    /** A normal chat call: its status and body, or what went wrong. */
    private String chatAfterFlood() throws InterruptedException {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"model":"fast","user":"after-flood","messages":[{"role":"user","content":"Say hello"}]}"""))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    /** One {@code GET /healthz} on a fresh connection: its status (0 when none came) and how long it took from connect. */
    record Probe(int status, long millis, long connectMillis) {
        @Override
        public String toString() {
            return status + " in " + millis + " ms (connected in " + connectMillis + ")";
        }
    }

    private static Probe healthz(int port) {
        long start = System.nanoTime();
        long connected = -1;
        int status = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            connected = (System.nanoTime() - start) / 1_000_000;
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (statusLine != null && statusLine.startsWith("HTTP/1.1 ")) {
                status = Integer.parseInt(statusLine.substring(9, 12));
            }
        } catch (IOException e) {
            // no answer: status 0
        }
        return new Probe(status, (System.nanoTime() - start) / 1_000_000, connected);
    }

    private Process flood(int index, int connections) {
        // A little longer than the probing, so that the flood covers all of it.
        long seconds = FLOOD.toSeconds() + 2;
        try {
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
                command.addAll(List.of("/usr/bin/nice", "-n", "10"));
            }
            command.addAll(GatewayProcess.java(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    SlowlorisClient.class.getName(), Integer.toString(gateway.port()), Integer.toString(connections),
                    Long.toString(seconds), Long.toString(HEADER_LINE_EVERY.toMillis())));
            return new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("flood-" + index + ".out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String log) {
        return log.length() <= 4_000 ? log : "..." + log.substring(log.length() - 4_000);
    }
}
