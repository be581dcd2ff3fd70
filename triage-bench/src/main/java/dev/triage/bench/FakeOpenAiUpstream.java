package dev.triage.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible upstream that answers {@code POST /v1/chat/completions} at once with a fixed
 * {@code chat.completion}, so that a benchmark measures the client or gateway in front of it, not it.
 *
 * <p>Run: {@code java -cp triage-bench.jar dev.triage.bench.FakeOpenAiUpstream [--host H] [--port N]
 * [--executor inline|virtual|fixed]}. {@code inline} (the default) answers on the server's
 * dispatcher thread: the handler never blocks on anything but the request body, which is already
 * in the socket buffer, and measured fastest (bench/README.md).
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

    /** The body OpenAI returns for a short non-streaming chat completion, usage included. */
    public static final String COMPLETION_JSON = """
            {
              "id": "chatcmpl-BgQ7tDcqvbQ1d3zW6xYkP0aFhN2sE",
              "object": "chat.completion",
              "created": 1749400000,
              "model": "fake-model",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "Hello! How can I help you today?",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 14,
                "completion_tokens": 9,
                "total_tokens": 23,
                "prompt_tokens_details": {
                  "cached_tokens": 0,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 0,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": "fp_34a54ae93c"
            }
            """;

    private static final byte[] COMPLETION = COMPLETION_JSON.getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = """
            {"error":{"message":"Unknown request URL. Only POST /v1/chat/completions is served.","type":"invalid_request_error","param":null,"code":"unknown_url"}}
            """.strip().getBytes(StandardCharsets.UTF_8);

    /** Who runs the handler: the dispatcher thread itself, a virtual thread per exchange, or a pool. */
    public enum Executor { INLINE, VIRTUAL, FIXED }

    private final HttpServer server;
    private final ExecutorService executor;

    private FakeOpenAiUpstream(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one). */
    public static FakeOpenAiUpstream start(String host, int port, Executor mode) throws IOException {
        // The JDK server leaves Nagle on unless told; with headers and body in separate writes on a
        // keep-alive connection that costs a delayed-ACK wait (~40 ms) per response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 4096);
        ExecutorService executor = switch (mode) {
            case INLINE -> null;
            case VIRTUAL -> Executors.newVirtualThreadPerTaskExecutor();
            case FIXED -> Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        };
        server.setExecutor(executor);
        server.createContext("/", FakeOpenAiUpstream::handle);
        server.start();
        return new FakeOpenAiUpstream(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Events of a streamed answer: a role chunk, {@value #STREAM_CONTENT_CHUNKS} content chunks, a finish chunk. */
    public static final int STREAM_CONTENT_CHUNKS = 98;
    private static final List<byte[]> STREAM_EVENTS = streamEvents();

    /**
     * A streamed answer as OpenAI sends it: {@code chat.completion.chunk} events, each in its own write
     * (chunked transfer encoding), the usage in a last chunk with empty {@code choices} (the gateway always
     * asks for it with {@code stream_options.include_usage}), then {@code data: [DONE]}.
     */
    private static List<byte[]> streamEvents() {
        String head = "{\"id\":\"chatcmpl-BgQ7tDcqvbQ1d3zW6xYkP0aFhN2sE\",\"object\":\"chat.completion.chunk\",\"created\":1749400000,"
                + "\"model\":\"fake-model\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_34a54ae93c\",\"choices\":[";
        List<String> data = new ArrayList<>();
        data.add(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}");
        for (int i = 0; i < STREAM_CONTENT_CHUNKS; i++) {
            data.add(head + "{\"index\":0,\"delta\":{\"content\":\" word\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
        }
        data.add(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}");
        data.add(head + "],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":" + STREAM_CONTENT_CHUNKS + ",\"total_tokens\":"
                + (14 + STREAM_CONTENT_CHUNKS) + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
                + "\"rejected_prediction_tokens\":0}}}");
        data.add("[DONE]");
        return data.stream().map(d -> ("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static boolean asksToStream(byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        return STREAM_TRUE.matcher(text).find();
    }

    private static final java.util.regex.Pattern STREAM_TRUE = java.util.regex.Pattern.compile("\"stream\"\\s*:\\s*true");

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Read the request to its end so the connection is clean for the next keep-alive request.
            byte[] request = exchange.getRequestBody().readAllBytes();
            boolean chat = exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestURI().getPath().equals("/v1/chat/completions");
            if (chat && asksToStream(request)) {
                var headers = exchange.getResponseHeaders();
                headers.set("Content-Type", "text/event-stream; charset=utf-8");
                headers.set("x-request-id", "req_fake0000000000000000000000000000");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (byte[] event : STREAM_EVENTS) {
                    out.write(event);
                    out.flush();
                }
                return;
            }
            byte[] body = chat ? COMPLETION : NOT_FOUND;
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "application/json");
            headers.set("openai-processing-ms", "1");
            headers.set("x-request-id", "req_fake0000000000000000000000000000");
            exchange.sendResponseHeaders(chat ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public static void main(String[] args) throws IOException {
        String host = "127.0.0.1";
        int port = 18081;
        Executor mode = Executor.INLINE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--executor" -> mode = Executor.valueOf(args[++i].toUpperCase(Locale.ROOT));
                default -> {
                    System.err.println("usage: FakeOpenAiUpstream [--host H] [--port N] [--executor inline|virtual|fixed]");
                    System.exit(2);
                }
            }
        }
        FakeOpenAiUpstream upstream = start(host, port, mode);
        System.out.println("fake OpenAI upstream listening on http://" + host + ":" + upstream.port()
                + "/v1 (executor " + mode.name().toLowerCase(Locale.ROOT) + ")");
    }
}
