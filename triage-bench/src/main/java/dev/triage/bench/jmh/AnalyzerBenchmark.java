package dev.triage.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskAnalyzer;
import dev.triage.analysis.TaskProfile;
import dev.triage.chat.ChatRequest;
import dev.triage.tokens.TokenEstimator;
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

/**
 * What the task analysis adds to a request: {@code analyze} on a ~2,000-token prompt (a pasted report
 * and an instruction) and on a one-line question, and, for comparison, counting the long prompt's
 * tokens alone (which {@code analyze} includes). SampleTime reports p50/p99.
 * Run: {@code java -jar triage-bench/target/triage-bench.jar AnalyzerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnalyzerBenchmark {

    private static final String[] REPORT = {
        "The regional transport authority published its annual review on Monday, covering buses, trams, "
            + "the cycle-hire scheme and the park-and-ride sites on the edge of the city.",
        "Bus ridership rose by 6.4% to 41.2 million journeys, the first increase since 2019, driven mostly by "
            + "the flat £2 fare and the new overnight routes on Fridays and Saturdays.",
        "Tram punctuality fell to 88% because of track work on the eastern line, which closed for eleven "
            + "weekends; the authority says the work is finished and expects punctuality above 95% next year.",
        "The cycle-hire scheme recorded 1.3 million trips. Electric bikes made up a quarter of the fleet but "
            + "more than half of all trips, and the authority plans to convert another 400 bikes.",
        "Park-and-ride usage is still a third below its pre-pandemic level. Two of the six sites will be "
            + "partly converted to housing, a decision opposed by several councillors from outlying wards.",
        "Operating costs grew to £312 million, while fares and advertising brought in £198 million; the gap "
            + "was covered by the combined authority's grant and a one-off payment from central government.",
        "Passenger satisfaction was 7.1 out of 10, with the lowest scores for information during disruption "
            + "and the cleanliness of bus shelters, and the highest for staff helpfulness.",
        "The review sets targets for next year: 44 million bus journeys, 95% tram punctuality, a new app "
            + "with live crowding information, and contactless capping across buses and trams.",
    };

    private final ObjectMapper json = new ObjectMapper();
    private TaskAnalyzer analyzer;
    private TokenEstimator tokens;
    private ChatRequest longPrompt;
    private ChatRequest shortPrompt;

    @Setup
    public void setUp() {
        tokens = new TokenEstimator();
        analyzer = new TaskAnalyzer(tokens);
        StringBuilder doc = new StringBuilder("Summarize the following annual review for the board in five bullet "
                + "points, then list any targets it sets:\n\n");
        for (int round = 0; tokens.count(doc.toString()) < 1_960; round++) {
            doc.append(REPORT[round % REPORT.length]).append(round % 3 == 2 ? "\n\n" : " ");
        }
        longPrompt = request("You are a concise analyst for a city council.", doc.toString());
        shortPrompt = request(null, "What's the capital of France?");
        int longTokens = analyzer.analyze(longPrompt, Hints.NONE).inputTokens();
        if (longTokens < 1_800 || longTokens > 2_200) { // an estimate past 3 KB (TokenEstimator.estimate)
            throw new IllegalStateException("long prompt should be ~2,000 tokens, is " + longTokens);
        }
    }

    private ChatRequest request(String system, String user) {
        ObjectNode body = json.createObjectNode().put("model", "auto");
        var messages = body.putArray("messages");
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        messages.addObject().put("role", "user").put("content", user);
        return new ChatRequest(body);
    }

    @Benchmark
    public TaskProfile analyzeLongPrompt() {
        return analyzer.analyze(longPrompt, Hints.NONE);
    }

    @Benchmark
    public TaskProfile analyzeShortPrompt() {
        return analyzer.analyze(shortPrompt, Hints.NONE);
    }

    @Benchmark
    public int countTokensOfLongPromptOnly() {
        return tokens.countMessages(longPrompt.messages());
    }
}
