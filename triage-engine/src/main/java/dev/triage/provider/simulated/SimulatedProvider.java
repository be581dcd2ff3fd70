package dev.triage.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.StreamOutcome;
import dev.triage.tokens.TokenEstimator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Synthetic answers with configurable latency and length, for the offline demo and load tests.
 * Usage is counted with the local tokenizer and reported as the provider's own (it is what this
 * "provider" bills), so costs in the demo follow the real price catalog.
 */
public final class SimulatedProvider implements Provider {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] WORDS = ("the model considered your request carefully and produced this simulated answer "
            + "so that routing budgets ledgers and dashboards can be exercised without any network access while every "
            + "token is still counted and priced exactly as a real call would be").split(" ");

    private final String name;
    private final Settings settings;
    private final TokenEstimator tokens;

    /**
     * @param latency         time before the first token (and before a non-streaming answer)
     * @param outputTokens    words in each answer (capped by the request's max tokens)
     * @param tokensPerSecond stream pacing; 0 streams as fast as possible
     * @param failureRate     share of calls that fail with a 503, for resilience demos (0..1)
     */
    public record Settings(Duration latency, int outputTokens, int tokensPerSecond, double failureRate) {
        public static Settings fast() {
            return new Settings(Duration.ZERO, 64, 0, 0);
        }
    }

    public SimulatedProvider(String name, Settings settings, TokenEstimator tokens) {
        this.name = name;
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderFactory kind() {
        return new SimulatedFactory();
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        pause(settings.latency(), call);
        maybeFail();
        List<String> words = answerWords(call);
        String text = String.join(" ", words);
        Usage usage = Usage.reported(tokens.countMessages(call.request().messages()), tokens.count(text));
        String finish = finishReason(call, words.size());
        ObjectNode choice = CompletionShape.choice(0, CompletionShape.assistantMessage(text, null, null), finish);
        ObjectNode body = shape(call).completion(NODES.arrayNode().add(choice), CompletionShape.usage(usage));
        return new ChatResponse(body, usage, finish);
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        pause(settings.latency(), call);
        maybeFail();
        List<String> words = answerWords(call);
        CompletionShape chunks = shape(call);
        sink.onChunk(chunks.chunk(NODES.objectNode().put("role", "assistant").put("content", ""), null));
        Duration perToken = settings.tokensPerSecond() > 0 ? Duration.ofNanos(1_000_000_000L / settings.tokensPerSecond()) : Duration.ZERO;
        for (int i = 0; i < words.size(); i++) {
            pause(perToken, call);
            sink.onChunk(chunks.chunk(NODES.objectNode().put("content", (i == 0 ? "" : " ") + words.get(i)), null));
        }
        String finish = finishReason(call, words.size());
        sink.onChunk(chunks.chunk(NODES.objectNode(), finish));
        Usage usage = Usage.reported(tokens.countMessages(call.request().messages()), tokens.count(String.join(" ", words)));
        return new StreamOutcome(usage, finish);
    }

    private static CompletionShape shape(ProviderCall call) {
        return new CompletionShape(CompletionShape.idFor("sim-" + Long.toHexString(ThreadLocalRandom.current().nextLong())),
                System.currentTimeMillis() / 1000, call.upstreamModel());
    }

    private List<String> answerWords(ProviderCall call) {
        int n = settings.outputTokens();
        Integer max = call.request().maxOutputTokens();
        if (max != null) {
            n = Math.min(n, max);
        }
        String prompt = lastUserText(call.request().messages());
        List<String> words = new ArrayList<>(n);
        int offset = Math.floorMod(prompt.hashCode(), WORDS.length);
        for (int i = 0; i < n; i++) {
            words.add(WORDS[(offset + i) % WORDS.length]);
        }
        // a word may be several tokens: a real model never bills more than max_tokens, so neither does this one
        while (max != null && words.size() > 1 && tokens.count(String.join(" ", words)) > max) {
            words.removeLast();
        }
        return words;
    }

    private String finishReason(ProviderCall call, int produced) {
        Integer max = call.request().maxOutputTokens();
        return max != null && produced >= max && max < settings.outputTokens() ? "length" : "stop";
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                return m.path("content").isTextual() ? m.get("content").asText() : m.path("content").toString();
            }
        }
        return "";
    }

    private void maybeFail() {
        if (settings.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.failureRate()) {
            throw new ProviderException(ErrorKind.OVERLOADED, 503, name + ": simulated overload");
        }
    }

    private static void pause(Duration d, ProviderCall call) {
        if (d.isZero()) {
            return;
        }
        if (call.deadline().remaining().compareTo(d) < 0) {
            sleep(call.deadline().remaining());
            throw new ProviderException(ErrorKind.TIMEOUT, 0, "simulated upstream did not answer before the request deadline");
        }
        sleep(d);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorKind.CONNECTION, "interrupted", e);
        }
    }
}
