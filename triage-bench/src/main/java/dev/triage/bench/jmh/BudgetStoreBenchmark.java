package dev.triage.bench.jmh;

import com.sun.management.OperatingSystemMXBean;
import dev.triage.budget.BudgetStore;
import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.budget.redis.RedisBudgetStore;
import dev.triage.chat.Money;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
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
 * What a budgeted request pays for its budget: one reservation of its worst case and one settle of its
 * real cost, in memory and in Redis ({@code storage.redis}; the Redis at {@code TRIAGE_BENCH_REDIS}, by
 * default redis://127.0.0.1:6379/0). Besides JMH's time per operation, each measurement iteration
 * prints the JVM process's CPU time per operation (Lettuce's event-loop threads included, the Redis
 * server's excluded) — the figure that says what the budget costs the gateway.
 * Run: {@code java -jar triage-bench/target/triage-bench.jar BudgetStoreBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BudgetStoreBenchmark {

    private static final Money WORST_CASE = Money.ofUsd("0.0075");
    private static final Money ACTUAL = Money.ofUsd("0.006412");
    /** Large enough never to refuse within a run. */
    private static final Money LIMIT = Money.ofUsd("5000000");

    @Param({"memory", "redis"})
    public String store;

    private BudgetStore budgets;
    private final String key = "bench/" + UUID.randomUUID();
    private final LocalDate day = LocalDate.now(ZoneOffset.UTC);
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long ops;
    private long cpuAtStart;

    @Setup
    public void setUp() {
        budgets = store.equals("memory") ? new InMemoryBudgetStore()
                : new RedisBudgetStore(System.getenv().getOrDefault("TRIAGE_BENCH_REDIS", "redis://127.0.0.1:6379/0"),
                        "triage:bench:", Duration.ofMinutes(3), Duration.ofSeconds(2));
    }

    @TearDown
    public void tearDown() {
        budgets.close();
    }

    @Setup(Level.Iteration)
    public void startCounting() {
        ops = 0;
        cpuAtStart = os.getProcessCpuTime();
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        long cpu = os.getProcessCpuTime() - cpuAtStart;
        System.out.printf("%n  [%s] process CPU per reserve+settle: %.2f us over %,d operations%n", store,
                cpu / 1_000.0 / Math.max(1, ops), ops);
    }

    @Benchmark
    public boolean reserveAndSettle() {
        Optional<BudgetStore.Reservation> r = budgets.tryReserve(key, day, WORST_CASE, LIMIT);
        r.ifPresent(x -> budgets.settle(x, ACTUAL));
        ops++;
        return r.isPresent();
    }
}
