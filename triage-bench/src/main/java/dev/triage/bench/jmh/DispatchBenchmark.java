package dev.triage.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.dispatch.DispatchResult;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.provider.Deadline;
import dev.triage.provider.Provider;
import dev.triage.provider.simulated.SimulatedProvider;
import dev.triage.resilience.Backoff;
import dev.triage.resilience.BreakerRegistry;
import dev.triage.resilience.ResilienceSettings;
import dev.triage.tokens.TokenEstimator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine's own cost per request, without any network: parse the body, plan the fallback chain,
 * call an instant in-process provider, count tokens, price the attempt and hand a ledger entry on.
 * Run: {@code java -jar triage-bench/target/triage-bench.jar DispatchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DispatchBenchmark {

    private static final byte[] BODY = """
            {"model":"gpt-4.1-mini","messages":[{"role":"system","content":"You are a helpful assistant."},
            {"role":"user","content":"Classify the sentiment of this review: the battery lasts two days and the screen is sharp."}],
            "temperature":0.2,"max_tokens":64}""".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final ObjectMapper json = new ObjectMapper();
    private Dispatcher dispatcher;

    @Setup
    public void setUp() {
        TokenEstimator tokens = new TokenEstimator();
        Provider openai = new SimulatedProvider("openai", new SimulatedProvider.Settings(Duration.ZERO, 16, 0, 0), tokens);
        ResilienceSettings s = ResilienceSettings.defaults();
        dispatcher = new Dispatcher(Map.of("openai", openai), PriceCatalog.builtIn(), s,
                new BreakerRegistry(s.breakerFailureThreshold(), s.breakerOpen(), System::nanoTime),
                new Backoff(s.backoffInitial(), s.backoffMax(), () -> 0.5), Dispatcher.Sleeper.SYSTEM,
                entry -> { }, tokens, Clock.systemUTC());
    }

    @Benchmark
    public void parsePlanCallAndPrice(Blackhole bh) throws IOException {
        ChatRequest request = new ChatRequest((ObjectNode) json.readTree(BODY));
        RequestContext ctx = new RequestContext("req_bench", request.model(), null, null, null, Deadline.after(Duration.ofSeconds(30)));
        DispatchResult r = dispatcher.complete(ctx, request, dispatcher.plan(request.model()));
        bh.consume(json.writeValueAsBytes(r.body()));
    }
}
