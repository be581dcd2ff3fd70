package dev.triage.bench.jmh;

import dev.triage.embeddings.EmbeddingConfig;
import dev.triage.embeddings.MiniLmEmbedder;
import dev.triage.embeddings.MiniLmVariant;
import dev.triage.embeddings.Truncation;
import java.util.Optional;
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
 * Embedding a ~500-token English prompt (2,800 characters) through {@link MiniLmEmbedder}, from the
 * calling thread's point of view (hand-off to the pool included): a new text each call (the cache
 * misses), and the same text (the cache answers). Run:
 * {@code java -jar triage-bench/target/triage-bench.jar EmbeddingBenchmark -f 1 -wi 3 -i 5}; narrow it
 * with {@code -p variant=all-minilm-l6-v2-q -p maxTokens=96}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EmbeddingBenchmark {

    /** About 500 word pieces for MiniLM's tokenizer (2,800 characters): a support request ending in its questions. */
    static final String PROMPT = """
            I am writing on behalf of our finance team about the invoices we received for the last three months. \
            In July we were billed for forty-two seats although our contract, signed in March, caps the plan at \
            thirty-five seats, and the usage report in the admin console shows that no more than thirty-one people \
            logged in during any week of that month. In August the invoice listed the same forty-two seats plus an \
            overage charge for API calls, which surprised us because our integration was paused for most of the \
            month while we migrated our data warehouse to a new region. The September invoice arrived late, was \
            addressed to a colleague who left the company in June, and included a line item called "premium \
            support" that nobody on our side remembers ordering. We have attached the three invoices, the signed \
            order form, the usage exports from the console and the email thread in which your account manager \
            confirmed that the seat cap would be enforced automatically. Our accounts payable department has put \
            all three payments on hold until the amounts are corrected, and our auditors need a written explanation \
            before the quarter closes on the fifteenth. We would also like to understand how overage is measured: \
            whether failed requests and retries count, whether the sandbox environment is billed at the same rate, \
            and whether calls made by your own monitoring service against our endpoint are included. If the \
            overage is legitimate we are happy to pay it, but we need the raw numbers per day to reconcile them \
            with our own logs. For context, our usage pattern changed in the summer: the mobile team moved \
            its nightly synchronisation jobs from a cron schedule to event-driven triggers, and the data science \
            group started running evaluation batches against the staging endpoint on weekends. Neither change \
            should have produced more than a few thousand extra calls per week, yet the August overage line \
            suggests an increase of roughly two hundred thousand calls. If your logs attribute those calls to \
            specific API keys, please share the breakdown so that we can check whether a key was leaked or a \
            client got stuck in a retry loop. Finally, please update the billing contact to the shared finance mailbox so that \
            invoices no longer go to a personal address. Could you tell us which of these charges you will credit, \
            when we can expect corrected invoices, and what we should do to stop this happening again next quarter?""";

    @Param({"all-minilm-l6-v2-q", "all-minilm-l6-v2"})
    public String variant;

    @Param({"96", "128", "256", "512"})
    public int maxTokens;

    private MiniLmEmbedder embedder;
    private long counter;

    @Setup
    public void setUp() {
        EmbeddingConfig config = EmbeddingConfig.defaults().withVariant(MiniLmVariant.fromId(variant))
                .withTruncation(Truncation.of(maxTokens, true)).withStoreDirectory(Optional.empty());
        embedder = MiniLmEmbedder.open(config);
        embedder.embed(PROMPT);
    }

    @TearDown
    public void tearDown() {
        embedder.close();
    }

    @Benchmark
    public float[] uncached() {
        return embedder.embed("Ticket " + counter++ + ". " + PROMPT);
    }

    @Benchmark
    public float[] cached() {
        return embedder.embed(PROMPT);
    }
}
