package dev.triage.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.triage.provider.openai.OpenAiWire;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake OpenAI upstream that keeps a record of every call it served: the request's {@code user}
 * field, and when it finished answering (on this JVM's {@link System#nanoTime()} clock). It answers
 * with OpenAI's real wire format, streaming or not, after a delay chosen per user, and fails every
 * N-th call with a 503 so that retries make several attempts per request.
 */
final class RecordingUpstream implements AutoCloseable {

    /** One upstream call: who asked, its number, its status, and when the answer was done (or abandoned). */
    record Call(String user, int number, int status, long endNanos) {
    }

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final ConcurrentLinkedQueue<Call> served = new ConcurrentLinkedQueue<>();
    private final Set<String> arrived = ConcurrentHashMap.newKeySet();
    private final int failEvery;
    private final Function<String, Duration> delay;

    /**
     * @param failEvery answer every N-th call with 503 (0: never)
     * @param delay     how long to take over a user's answer (spread over the chunks of a stream)
     */
    RecordingUpstream(int failEvery, Function<String, Duration> delay) {
        this.failEvery = failEvery;
        this.delay = delay;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::serve);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Call> calls() {
        return List.copyOf(served);
    }

    /** Whether a request from this user has reached the upstream (it may still be answering). */
    boolean arrived(String user) {
        return arrived.contains(user);
    }

    private void serve(HttpExchange exchange) throws IOException {
        int number = calls.incrementAndGet();
        String user = null;
        int status = 0;
        try (exchange) {
            JsonNode body = OpenAiWire.JSON.readTree(exchange.getRequestBody().readAllBytes());
            user = body.path("user").asText(null);
            if (user != null) {
                arrived.add(user);
            }
            Duration wait = delay.apply(user);
            if (failEvery > 0 && number % failEvery == 0) {
                status = 503;
                send(exchange, 503, "application/json",
                        "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            } else if (body.path("stream").asBoolean()) {
                status = 200;
                exchange.getResponseHeaders().set("content-type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                List<String> events = OpenAiWire.TEXT_STREAM;
                for (String event : events) {
                    Thread.sleep(wait.toMillis() / events.size());
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } else {
                Thread.sleep(wait.toMillis());
                status = 200;
                send(exchange, 200, "application/json", OpenAiWire.COMPLETION_TEXT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the gateway went away mid-answer (killed): the call still happened
        } finally {
            served.add(new Call(user, number, status, System.nanoTime()));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
