package dev.triage.bench.jmh;

import com.sun.management.OperatingSystemMXBean;
import dev.triage.embeddings.EmbeddingConfig;
import dev.triage.embeddings.MiniLmEmbedder;
import dev.triage.responsecache.SemanticIndex;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticMatcher.Match;
import dev.triage.responsecache.SemanticProbe;
import dev.triage.responsecache.SemanticSettings;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * A semantic-cache lookup of a question the embedder has not seen (embed it, then find it in a bucket of
 * {@code entries} cached questions) and the find alone. After each iteration it prints the process CPU time per
 * operation (the embedding runs on the embedder's threads, so the caller's own CPU time would miss it). Run:
 * {@code java -jar triage-bench/target/triage-bench.jar SemanticLookupBenchmark -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SemanticLookupBenchmark {

    private static final String[] TOPICS = {"a Kafka consumer", "the billing export", "a Postgres replica", "OAuth scopes",
        "the mobile release", "a Redis cluster", "the CSV importer", "S3 lifecycle rules", "the search index", "webhook retries"};
    private static final String[] ASKS = {"How do I configure %s for %d users?", "Why does %s fail after %d minutes?",
        "What is the limit of %s in region %d?", "Can you explain how %s handles %d requests per second?"};

    @Param({"200"})
    public int entries;

    private MiniLmEmbedder embedder;
    private SemanticMatcher matcher;
    private SemanticIndex index;
    private SemanticProbe known;
    private long counter;
    private long operations;
    private long cpuAtStart;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Setup
    public void setUp() {
        embedder = MiniLmEmbedder.open(EmbeddingConfig.defaults().withStoreDirectory(Optional.empty()));
        matcher = new SemanticMatcher(embedder, SemanticSettings.DEFAULT);
        index = new SemanticIndex(matcher, 100_000, SemanticIndex.DEFAULT_MAX_PER_BUCKET);
        for (int i = 0; i < entries; i++) {
            String question = ASKS[i % ASKS.length].formatted(TOPICS[i / ASKS.length % TOPICS.length], i);
            index.add("tenant/route", Integer.toString(i), matcher.probe(question), Long.MAX_VALUE);
        }
        known = matcher.probe("How do I configure a Kafka consumer for 40 users?");
    }

    @Setup(Level.Iteration)
    public void startCounting() {
        operations = 0;
        cpuAtStart = os.getProcessCpuTime();
    }

    @TearDown(Level.Iteration)
    public void reportCpu() {
        System.out.printf("%n  process CPU per operation: %.3f ms%n", (os.getProcessCpuTime() - cpuAtStart) / 1e6 / Math.max(1, operations));
    }

    @TearDown
    public void tearDown() {
        embedder.close();
    }

    @Benchmark
    public Optional<Match> lookupNewText() {
        operations++;
        long n = counter++;
        String question = ASKS[(int) (n % ASKS.length)].formatted(TOPICS[(int) (n / 7 % TOPICS.length)], 1_000_000 + n);
        return index.find("tenant/route", matcher.probe(question), 0);
    }

    @Benchmark
    public Optional<Match> findOnly() {
        operations++;
        return index.find("tenant/route", known, 0);
    }
}
