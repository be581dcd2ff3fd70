package dev.triage.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.responsecache.CachedAnswer;
import dev.triage.responsecache.InMemoryAnswerStore;
import dev.triage.responsecache.ResponseCache;
import dev.triage.responsecache.ResponseCachePolicy;
import dev.triage.responsecache.ResponseCacheSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An exact response-cache lookup on the request path: the canonical digest of the request (tenant, route,
 * every parameter, every message) and the in-memory store's answer, for a hit and for a miss. The work is
 * all on the calling thread, so its time is its CPU time. Run:
 * {@code java -jar triage-bench/target/triage-bench.jar ExactCacheBenchmark -f 1 -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExactCacheBenchmark {

    /** Turns in the conversation: 1 is a single question (~60 tokens), 20 an agent's history (~8,000 tokens). */
    @Param({"1", "20"})
    public int turns;

    private ResponseCache cache;
    private ChatRequest hit;
    private ChatRequest miss;

    @Setup
    public void setUp() {
        ObjectMapper json = new ObjectMapper();
        ResponseCacheSettings on = new ResponseCacheSettings(
                new ResponseCacheSettings.Exact(true, Duration.ofHours(1), 10_000), ResponseCacheSettings.OFF.semantic(), false);
        cache = new ResponseCache(new ResponseCachePolicy(on, Map.of()), new InMemoryAnswerStore(10_000, ResponseCacheSettings.DEFAULT_MAX_MEMORY_BYTES, Clock.systemUTC()), null);
        hit = request(json, turns, "What does the refund policy say about cancelled flights?");
        miss = request(json, turns, "What does the refund policy say about delayed flights?");
        ResponseCache.Lookup first = cache.lookup("key:bench", hit, Hints.NONE, false);
        ObjectNode completion = json.createObjectNode().put("object", "chat.completion");
        completion.putArray("choices").addObject().put("finish_reason", "stop").putObject("message").put("content", "Yes.");
        cache.keep(first, new CachedAnswer(completion, "fast", Money.ofUsd("0.001"), "req_bench", Instant.now()));
    }

    private static ChatRequest request(ObjectMapper json, int turns, String question) {
        ObjectNode body = json.createObjectNode().put("model", "support").put("temperature", 0.2).put("max_tokens", 512);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are the airline's support agent. ".repeat(40));
        for (int i = 1; i < turns; i++) {
            messages.addObject().put("role", "user").put("content", ("Turn " + i + ": my booking reference is ABC123. ").repeat(20));
            messages.addObject().put("role", "assistant").put("content", ("I have looked at booking ABC123, turn " + i + ". ").repeat(20));
        }
        messages.addObject().put("role", "user").put("content", question);
        return new ChatRequest(body);
    }

    @Benchmark
    public ResponseCache.Lookup hit() {
        return cache.lookup("key:bench", hit, Hints.NONE, false);
    }

    @Benchmark
    public ResponseCache.Lookup miss() {
        return cache.lookup("key:bench", miss, Hints.NONE, false);
    }
}
