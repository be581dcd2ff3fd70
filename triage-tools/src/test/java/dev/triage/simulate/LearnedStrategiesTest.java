package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.learn.Trainer;
import dev.triage.learn.TrainingSettings;
import dev.triage.testing.HashingEmbedder;
import dev.triage.testing.SharedDatasets;
import dev.triage.tokens.TokenEstimator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned strategies on the first 400 GSM8K items, with the test embedder (character trigrams),
 * so the figures are not the README's; what is checked is the machinery: every item routed by a model
 * that did not train on it, through the real executor, swept from all-weak to all-strong.
 */
class LearnedStrategiesTest {

    @TempDir
    static Path dir;
    static Dataset subset;

    @BeforeAll
    static void firstItemsOfGsm8k() throws IOException {
        Path source = SharedDatasets.file("gsm8k.jsonl");
        List<String> lines = Files.readAllLines(source).subList(0, 400);
        Files.write(dir.resolve("gsm8k-400.jsonl"), lines);
        Files.writeString(dir.resolve("gsm8k-400.json"), Files.readString(source.resolveSibling("gsm8k.json"))
                .replaceFirst("\"items\"\\s*:\\s*\\d+", "\"items\": 400"));
        subset = DatasetLoader.load(dir.resolve("gsm8k-400.jsonl"));
    }

    private static Simulation simulation(LearnedStrategies.Options options) {
        Simulator simulator = new Simulator(subset, new TokenEstimator());
        return new Simulation(simulator, 5, new LearnedStrategies(simulator, options, (s, p) -> { }));
    }

    @Test
    void crossValidatedStrategiesSweepFromAllWeakToAllStrongThroughTheExecutor() {
        Simulation sim = simulation(new LearnedStrategies.Options(new HashingEmbedder(), 5, 42, null));
        List<Simulation.StrategyRun> runs = sim.run(List.of("learned", "learned-cascade"), Map.of(), (s, p) -> { });
        Simulation.StrategyRun router = runs.get(0);
        Simulation.StrategyRun cascade = runs.get(1);
        assertThat(router.swept()).isTrue();
        assertThat(router.points()).hasSizeGreaterThan(5);
        assertThat(router.points().stream().mapToDouble(StrategyResult::strongShare).max().orElseThrow()).isGreaterThan(0.95);
        assertThat(router.points().stream().mapToDouble(StrategyResult::strongShare).min().orElseThrow()).isLessThan(0.05);
        assertThat(router.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(400));
        // the cascade pays for the weak call on every item: at any share it costs more than the router at that share's weak calls
        StrategyResult allWeakCascade = cascade.points().stream().filter(p -> p.strongShare() == 0).findFirst().orElseThrow();
        assertThat(allWeakCascade.items()).allSatisfy(r -> assertThat(r.calls()).containsExactly(subset.manifest().weakModel()));
        assertThat(cascade.points().stream().filter(p -> p.strongShare() > 0.5).findFirst().orElseThrow().items())
                .anySatisfy(r -> assertThat(r.calls()).containsExactly(subset.manifest().weakModel(), subset.manifest().strongModel()));
        // the answer's own features (wrong sums, no final answer) make the cascade clearly better than chance here
        assertThat(cascade.apgr()).isGreaterThan(0.62);
        assertThat(router.apgr()).isBetween(0.3, 0.9);
    }

    @Test
    void aTrainedModelFileIsEvaluatedOnEveryItem() throws IOException {
        HashingEmbedder embedder = new HashingEmbedder();
        LearnedModel model = new Trainer(embedder, TrainingSettings.DEFAULT, Clock.systemUTC())
                .train(DatasetExamples.of(subset), new Trainer.Source("dataset gsm8k-400", null), n -> { });
        Path file = dir.resolve("router.bin");
        ModelFile.write(model, file);
        Simulation sim = simulation(new LearnedStrategies.Options(embedder, 0, 0, file));
        Simulation.StrategyRun run = sim.run(List.of("learned-cascade"), Map.of(), (s, p) -> { }).getFirst();
        assertThat(run.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(400));
        // scored on its own training data, so it looks better than it is; this only checks the path works
        assertThat(run.apgr()).isGreaterThan(0.6);
    }

    @Test
    void learnedStrategiesWithoutAModelAreRefusedWithAHint() {
        Simulator simulator = new Simulator(subset, new TokenEstimator());
        assertThatThrownBy(() -> new Simulation(simulator, 5).run(List.of("learned"), Map.of(), (s, p) -> { }))
                .hasMessageContaining("--cv K").hasMessageContaining("--router-model");
    }

    @Test
    void aModelFileForOtherModelsIsRefused() throws IOException {
        HashingEmbedder embedder = new HashingEmbedder();
        LearnedModel model = new Trainer(embedder, new TrainingSettings(5, 1, 10), Clock.systemUTC()).train(
                List.of(new dev.triage.learn.Example("a", "hi", Map.of("other", new dev.triage.learn.Example.Outcome(1, "x", "stop")))),
                new Trainer.Source("tiny", null), n -> { });
        Path file = dir.resolve("other.bin");
        ModelFile.write(model, file);
        Simulation sim = simulation(new LearnedStrategies.Options(embedder, 0, 0, file));
        assertThatThrownBy(() -> sim.run(List.of("learned"), Map.of(), (s, p) -> { }))
                .hasMessageContaining("knows other").hasMessageContaining(subset.manifest().weakModel());
    }
}
