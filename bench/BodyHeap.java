import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much heap the gateway needs per request body: for each heap size given, starts the gateway jar
 * with {@code -XX:+UseSerialGC -Xmx<N>m} (the launcher's collector), sends CONCURRENCY bodies of a
 * shape at once through it to a fake OpenAI upstream (which answers after 500 ms), and prints the
 * statuses and whether the gateway logged an OutOfMemoryError. The smallest heap that serves a shape,
 * less the smallest that serves {@code tiny}, is what one such body costs (README, HTTP API, Memory).
 *
 * <pre>
 * java bench/BodyHeap.java triage-server/target/triage.jar SHAPE CONCURRENCY BYTES HEAP_MB[,HEAP_MB...] [SERVER_KEYS]
 *   SHAPE: tiny | text (one long string) | parts (content parts {"type":"text","text":"a"}) | objects (an array of {})
 *   e.g.  java bench/BodyHeap.java triage-server/target/triage.jar text 1 9900000 88,92,96
 *         java bench/BodyHeap.java triage-server/target/triage.jar text 8 9900000 128
 *         java bench/BodyHeap.java triage-server/target/triage.jar text 1 9900000 96 "max_body_heap_bytes: 1000000000"
 * </pre>
 */
public class BodyHeap {

    private static final String COMPLETION = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"total_tokens\":11}}";
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/v1");

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String shape = args[1];
        int concurrency = Integer.parseInt(args[2]);
        int bytes = Integer.parseInt(args[3]);
        String serverKeys = args.length > 5 ? ", " + args[5] : "";

        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                Thread.sleep(500);
                byte[] answer = COMPLETION.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        upstream.start();

        Path dir = Files.createTempDirectory("triage-body-heap");
        Path config = dir.resolve("triage.yaml");
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: 0%s}
                storage: {ledger: "sqlite:%s/ledger.db"}
                resilience: {max_retries: 0}
                providers:
                  up: {kind: openai, base_url: "http://127.0.0.1:%d/v1", api_key: sk-bench-0123456789abcdef}
                models:
                  fast: {provider: up, upstream_model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2}
                """.formatted(serverKeys, dir, upstream.getAddress().getPort()));
        byte[] body = body(shape, bytes);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        for (String heap : args[4].split(",")) {
            Path log = dir.resolve("gateway-" + heap + "m.log");
            Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx" + heap + "m", "-jar", jar, "serve", "--config", config.toString())
                    .redirectError(log.toFile()).start();
            try {
                int port = port(gateway);
                if (port < 0) {
                    System.out.println("heap " + heap + "m: the gateway did not start (see " + log + ")");
                    continue;
                }
                URI uri = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
                List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    sent.add(client.sendAsync(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                            .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                List<String> statuses = new ArrayList<>();
                for (CompletableFuture<HttpResponse<String>> f : sent) {
                    try {
                        HttpResponse<String> r = f.get();
                        statuses.add(r.statusCode() == 200 ? "200"
                                : r.statusCode() + ":" + r.body().replaceAll(".*\"code\":\"([a-z_]*)\".*", "$1"));
                    } catch (Exception e) {
                        statuses.add("failed: " + e.getCause());
                    }
                }
                boolean oom = Files.readString(log).contains("OutOfMemoryError");
                System.out.println("heap " + heap + "m, " + shape + " x" + concurrency + " (" + body.length + " bytes): "
                        + statuses + (oom ? ", OutOfMemoryError in the log" : ""));
            } finally {
                gateway.destroyForcibly();
                gateway.waitFor();
            }
        }
        upstream.stop(0);
    }

    /** The port the gateway prints once it listens, or -1 if it exits or takes over a minute. */
    private static int port(Process gateway) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the gateway is gone
            }
            port.complete(-1);
        });
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return -1;
        }
    }

    private static byte[] body(String shape, int bytes) {
        StringBuilder b = new StringBuilder(bytes + 100).append("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":");
        switch (shape) {
            case "text" -> {
                b.append('"');
                while (b.length() < bytes - 20) {
                    b.append("lorem ipsum ");
                }
                b.append("\"}]}");
            }
            case "parts" -> {
                b.append("[{\"type\":\"text\",\"text\":\"a\"}");
                while (b.length() < bytes - 40) {
                    b.append(",{\"type\":\"text\",\"text\":\"a\"}");
                }
                b.append("]}]}");
            }
            case "objects" -> {
                b.append("\"hi\"}],\"x\":[{}");
                while (b.length() < bytes - 20) {
                    b.append(",{}");
                }
                b.append("]}");
            }
            case "tiny" -> b.append("\"hi\"}]}");
            default -> throw new IllegalArgumentException("unknown shape " + shape + "; tiny, text, parts or objects");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
