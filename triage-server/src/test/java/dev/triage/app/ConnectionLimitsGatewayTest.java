package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.http.ConnectionLimits;
import dev.triage.provider.openai.OpenAiWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client connection may hold (issue 10, defect 1, in small): {@code server.max_connections},
 * {@code server.header_timeout_ms}, {@code server.idle_timeout_ms} and the request head's field limit,
 * each on a gateway of its own with small limits.
 */
class ConnectionLimitsGatewayTest {

    private static final String SLOW_HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n";
    private final List<Socket> sockets = new ArrayList<>();
    private GatewayHarness gw;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aRequestHeadStillIncompleteAfterTheHeaderTimeoutIsClosedWhileItKeepsSendingLines() throws Exception {
        gw = new GatewayHarness(", header_timeout_ms: 400, idle_timeout_ms: 30000", null, "");
        Socket slow = open(SLOW_HEAD);
        long start = System.nanoTime();
        // One more header line every 100 ms: the idle timeout never fires, only the head's deadline can.
        boolean closed = false;
        for (int i = 0; i < 100 && !closed; i++) {
            Thread.sleep(100);
            closed = !writeQuietly(slow, "X-Line-" + i + ": a\r\n") || closedByServer(slow, Duration.ofMillis(1));
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(closed).as("closed by the gateway").isTrue();
        assertThat(tookMs).as("ms until the slow head was closed").isBetween(400L, 3_000L);
        assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void anIdleConnectionWithoutAnyRequestIsNotCutByTheHeaderTimeoutButByTheIdleTimeout() throws Exception {
        gw = new GatewayHarness(", header_timeout_ms: 300, idle_timeout_ms: 1500", null, "");
        Socket idle = open("");

        assertThat(closedByServer(idle, Duration.ofMillis(900))).as("closed before the idle timeout").isFalse();
        assertThat(closedByServer(idle, Duration.ofSeconds(5))).as("closed by the idle timeout").isTrue();
    }

    @Test
    void atTheConnectionLimitTheSlowHeadsAreClosedAndAHealthCheckIsStillAnswered() throws Exception {
        gw = new GatewayHarness(", max_connections: 16, header_timeout_ms: 60000", null, "");
        for (int i = 0; i < 48; i++) {
            open(SLOW_HEAD);
        }

        Thread.sleep(500);  // the flood is in place: the gateway has read the slow heads
        Socket health = open("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(readAll(health)).startsWith("HTTP/1.1 200 ");
        int stillOpen = 0;
        for (Socket s : sockets.subList(0, 48)) {
            if (!closedByServer(s, Duration.ofMillis(20))) {
                stillOpen++;
            }
        }
        assertThat(stillOpen).as("slow heads the gateway still holds").isLessThanOrEqualTo(16);
    }

    @Test
    void aRequestBeingAnsweredIsNeverClosedToMakeRoom() throws Exception {
        gw = new GatewayHarness(", max_connections: 8, header_timeout_ms: 60000", null, "");
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(1, TimeUnit.SECONDS).build());
        CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(
                () -> gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false)));
        Thread.sleep(300);  // the call is now waiting for the upstream
        for (int i = 0; i < 30; i++) {
            open(SLOW_HEAD);
        }

        assertThat(call.get().statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestWhoseUpstreamIsSilentLongerThanTheIdleTimeoutIsStillAnswered() throws Exception {
        // The idle timeout is for clients that hold a connection and send nothing; a call waiting on a slow model
        // (a reasoning model may think for minutes) is bounded by request_timeout_ms instead.
        gw = new GatewayHarness(", idle_timeout_ms: 500", null, "");
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(2, TimeUnit.SECONDS).build());

        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Hello there!");
    }

    @Test
    void aRequestHeadWithMoreHeaderFieldsThanTheLimitGets431AndOneAtTheLimitIsServed() throws Exception {
        gw = new GatewayHarness("");
        StringBuilder atLimit = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (int i = 2; i < ConnectionLimits.MAX_HEADER_FIELDS; i++) {
            atLimit.append("a").append(i).append(":\r\n");
        }
        String over = atLimit + "one-too-many:\r\n";

        assertThat(readAll(open(atLimit + "\r\n"))).startsWith("HTTP/1.1 200 ");
        assertThat(readAll(open(over + "\r\n"))).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void aRequestHeadOverEightKilobytesGets431() throws Exception {
        gw = new GatewayHarness("");
        String big = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: "
                + "a".repeat(ConnectionLimits.MAX_HEAD_BYTES) + "\r\n\r\n";

        assertThat(readAll(open(big))).startsWith("HTTP/1.1 431 ");
    }

    private Socket open(String send) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", gw.app.port()), 2_000);
        if (!send.isEmpty()) {
            s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
        }
        return s;
    }

    private static boolean writeQuietly(Socket s, String text) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the gateway closes {@code s} within {@code wait} (reading and dropping whatever it sends first). */
    private static boolean closedByServer(Socket s, Duration wait) throws IOException {
        long end = System.nanoTime() + wait.toNanos();
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) left);
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.getInputStream().transferTo(out);
        } catch (IOException reset) {
            // what arrived before the reset is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
