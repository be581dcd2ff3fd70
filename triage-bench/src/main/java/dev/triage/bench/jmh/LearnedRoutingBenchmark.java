package dev.triage.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.embed.Embedder;
import dev.triage.embed.Embedders;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.Trainer;
import dev.triage.learn.TrainingSettings;
import dev.triage.routing.Decision;
import dev.triage.routing.LearnedRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.Router;
import dev.triage.simulate.Dataset;
import dev.triage.simulate.DatasetExamples;
import dev.triage.simulate.DatasetLoader;
import dev.triage.tokens.TokenEstimator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole routing decision of a {@code policy: learned} route — task analysis, the prompt's
 * embedding (the real ONNX module), the nearest recorded prompts and the quality heads — for a
 * ~500-token prompt, with a model trained on a shipped dataset (GSM8K: 1,307 recorded prompts; MMLU:
 * 9,762). {@code uncached} sends a new text every call (embedding and prediction caches miss);
 * {@code cached} repeats one. Run from the repository root (it reads {@code ../shared/datasets}):
 * {@code java -jar triage-bench/target/triage-bench.jar LearnedRoutingBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LearnedRoutingBenchmark {

    @Param({"gsm8k", "mmlu"})
    public String trainedOn;

    private Embedder embedder;
    private Router router;
    private ChatRequest repeated;
    private long counter;

    @Setup
    public void setUp() {
        embedder = Embedders.find().orElseThrow(() -> new IllegalStateException("the triage-embeddings module is not on the class path"));
        Dataset data = DatasetLoader.load(Path.of("..", "shared", "datasets", trainedOn + ".jsonl"));
        LearnedModel model = new Trainer(embedder, TrainingSettings.DEFAULT, Clock.systemUTC())
                .train(DatasetExamples.of(data), new Trainer.Source("dataset " + trainedOn, null), n -> { });
        String weak = data.manifest().weakModel();
        String strong = data.manifest().strongModel();
        List<ModelInfo> models = new ArrayList<>();
        data.manifest().prices().forEach((id, price) -> models.add(new ModelInfo(id, "bench", id, price, 0, 0, null, "manifest", List.of())));
        router = new Router(Map.of("learned", new LearnedRouteSpec("learned", model, "benchmark", List.of(weak, strong), 0.05,
                QualityFloor.NONE)), new PriceCatalog(models), id -> true, new TaskAnalyzer(new TokenEstimator())::analyze,
                new InMemoryBudgetStore(), Clock.systemUTC());
        repeated = request(EmbeddingBenchmark.PROMPT);
        router.decide("learned", repeated, Hints.NONE);
    }

    @TearDown
    public void tearDown() {
        embedder.close();
    }

    private static ChatRequest request(String prompt) {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("model", "learned");
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return new ChatRequest(body);
    }

    @Benchmark
    public Decision uncached() {
        return router.decide("learned", request("Ticket " + counter++ + ". " + EmbeddingBenchmark.PROMPT), Hints.NONE);
    }

    @Benchmark
    public Decision cached() {
        return router.decide("learned", repeated, Hints.NONE);
    }
}
