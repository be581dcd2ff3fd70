package dev.triage.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * A fake Anthropic and OpenAI upstream that bills prompts by each provider's documented prompt-caching
 * rules, answering in their real wire formats with their caching usage fields.
 *
 * <p>Anthropic ({@code POST /v1/messages}): the prompt is its blocks in order — each tool, each system
 * block (a string is one), each content block of each turn (a string is one). A cache entry is written
 * at a block marked {@code cache_control} and holds the prefix up to it, if that prefix has at least
 * {@link #ANTHROPIC_MINIMUM} tokens. For each mark, the longest entry ending at one of the 20 block
 * boundaries before it (or at it) is found; the longest such hit is read
 * ({@code cache_read_input_tokens}), the tokens after it up to the last mark are written
 * ({@code cache_creation_input_tokens}), the rest is plain input ({@code input_tokens}).
 *
 * <p>OpenAI ({@code POST /v1/chat/completions}): automatic; a prompt of at least 1,024 tokens reads the
 * longest prefix it shares with an earlier prompt, in steps of 128 tokens from 1,024
 * ({@code prompt_tokens_details.cached_tokens}).
 *
 * <p>Tokens are counted as 3.5 characters of a block's JSON (marks left out) — deliberately not the
 * gateway's own estimate, so its thresholds are tested against a count it does not share. Entries do
 * not expire within a test.
 */
final class CachingUpstream implements AutoCloseable {

    static final int ANTHROPIC_MINIMUM = 1024;
    static final int OUTPUT_TOKENS = 20;
    static final int SUMMARY_TOKENS = 300;
    static final String SUMMARY = "USER PROFILE: a returning customer with a user id and saved payment methods. "
            + "CONSTRAINTS: follow the airline policy; confirm before any booking change. ".repeat(6)
            + "TASK HISTORY: the reservation was looked up and the options were listed. ".repeat(6)
            + "RELEVANT FACTS: reservation, flight numbers, dates and prices as given. ".repeat(6);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call as billed. */
    record Bill(String api, long input, long cacheRead, long cacheWrite, String cacheKey) {
    }

    private final HttpServer server;
    private final Map<String, Long> anthropicEntries = new HashMap<>();
    private final List<String> openAiPrompts = new ArrayList<>();
    private final ConcurrentLinkedQueue<Bill> bills = new ConcurrentLinkedQueue<>();

    CachingUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/messages", this::messages);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Bill> bills() {
        return List.copyOf(bills);
    }

    static long tokens(JsonNode block) {
        JsonNode copy = block.deepCopy();
        if (copy instanceof ObjectNode o) {
            o.remove("cache_control");
        }
        return (copy.toString().length() * 2L + 6) / 7;
    }

    private synchronized Bill billAnthropic(JsonNode body) {
        List<JsonNode> blocks = new ArrayList<>();
        body.path("tools").forEach(blocks::add);
        JsonNode system = body.get("system");
        if (system != null) {
            if (system.isArray()) {
                system.forEach(blocks::add);
            } else {
                blocks.add(textBlock(system.asText()));
            }
        }
        for (JsonNode turn : body.get("messages")) {
            JsonNode content = turn.get("content");
            if (content.isArray()) {
                content.forEach(blocks::add);
            } else {
                blocks.add(textBlock(content.asText())); // a string is one text block, as Anthropic reads it
            }
        }
        long[] prefix = new long[blocks.size() + 1];
        String[] key = new String[blocks.size() + 1];
        StringBuilder text = new StringBuilder();
        key[0] = "";
        for (int i = 0; i < blocks.size(); i++) {
            prefix[i + 1] = prefix[i] + tokens(blocks.get(i));
            JsonNode copy = blocks.get(i).deepCopy();
            if (copy instanceof ObjectNode o) {
                o.remove("cache_control");
            }
            text.append(copy).append('\u0001');
            key[i + 1] = text.toString();
        }
        List<Integer> marks = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).has("cache_control")) {
                marks.add(i + 1); // the prefix ends after block i
            }
        }
        long read = 0;
        for (int end : marks) {
            for (int j = end; j >= Math.max(1, end - 20); j--) {
                Long cached = anthropicEntries.get(key[j]);
                if (cached != null) {
                    read = Math.max(read, cached);
                    break;
                }
            }
        }
        long total = prefix[blocks.size()];
        long lastMark = marks.isEmpty() ? 0 : prefix[marks.getLast()];
        long write = 0;
        for (int end : marks) {
            if (prefix[end] >= ANTHROPIC_MINIMUM && !anthropicEntries.containsKey(key[end])) {
                anthropicEntries.put(key[end], prefix[end]);
            }
        }
        if (lastMark > read && lastMark >= ANTHROPIC_MINIMUM) {
            write = lastMark - read;
        }
        return new Bill("anthropic", total - read - write, read, write, null);
    }

    private static JsonNode textBlock(String text) {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", "text");
        block.put("text", text);
        return block;
    }

    private synchronized Bill billOpenAi(JsonNode body) {
        String prompt = body.path("tools").toString() + body.get("messages").toString();
        long tokens = (prompt.length() * 2L + 6) / 7;
        long shared = 0;
        for (String earlier : openAiPrompts) {
            int n = 0;
            int max = Math.min(earlier.length(), prompt.length());
            while (n < max && earlier.charAt(n) == prompt.charAt(n)) {
                n++;
            }
            shared = Math.max(shared, (n * 2L) / 7);
        }
        openAiPrompts.add(prompt);
        long cached = tokens >= 1024 && shared >= 1024 ? Math.min(shared, tokens) / 128 * 128 : 0;
        return new Bill("openai", tokens - cached, cached, 0, body.path("prompt_cache_key").asText(null));
    }

    private void messages(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Bill bill = billAnthropic(body);
            bills.add(bill);
            ObjectNode out = JSON.createObjectNode();
            out.put("id", "msg_01" + Long.toHexString(System.nanoTime()));
            out.put("type", "message");
            out.put("role", "assistant");
            out.put("model", body.path("model").asText());
            ArrayNode content = out.putArray("content");
            content.addObject().put("type", "text").put("text", "Noted; let me check that for you now.");
            out.put("stop_reason", "end_turn");
            out.putNull("stop_sequence");
            ObjectNode usage = out.putObject("usage");
            usage.put("input_tokens", bill.input());
            usage.put("cache_creation_input_tokens", bill.cacheWrite());
            usage.put("cache_read_input_tokens", bill.cacheRead());
            usage.put("output_tokens", OUTPUT_TOKENS);
            send(exchange, out);
        }
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Bill bill = billOpenAi(body);
            bills.add(bill);
            ObjectNode out = JSON.createObjectNode();
            out.put("id", "chatcmpl-" + Long.toHexString(System.nanoTime()));
            out.put("object", "chat.completion");
            out.put("created", 1_765_000_000L);
            out.put("model", body.path("model").asText());
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0);
            boolean summary = body.at("/messages/0/content").asText().startsWith("You keep the shared context");
            // a shared context is about 300 tokens: four parts of facts
            String text = summary ? SUMMARY : "Noted; let me check that for you now.";
            choice.putObject("message").put("role", "assistant").put("content", text);
            choice.putNull("logprobs");
            choice.put("finish_reason", "stop");
            ObjectNode usage = out.putObject("usage");
            long prompt = bill.input() + bill.cacheRead();
            usage.put("prompt_tokens", prompt);
            long output = summary ? SUMMARY_TOKENS : OUTPUT_TOKENS;
            usage.put("completion_tokens", output);
            usage.put("total_tokens", prompt + output);
            usage.putObject("prompt_tokens_details").put("cached_tokens", bill.cacheRead()).put("audio_tokens", 0);
            usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                    .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
            send(exchange, out);
        }
    }

    private static void send(HttpExchange exchange, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
