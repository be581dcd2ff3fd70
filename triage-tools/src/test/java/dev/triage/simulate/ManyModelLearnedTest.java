package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.learn.CrossValidation;
import dev.triage.learn.TrainingSettings;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.testing.HashingEmbedder;
import dev.triage.testing.SharedDatasets;
import dev.triage.tokens.TokenEstimator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned router on a file of nine models (every 15th line of the shipped llmrouter file, 408 items
 * of 14 benchmarks), with the test embedder: it chooses among all the models, its sweep runs from the
 * cheapest model alone upwards, and grouped cross-validation keeps whole benchmarks out of training.
 */
class ManyModelLearnedTest {

    @TempDir
    static Path dir;
    static Dataset sample;

    @BeforeAll
    static void everyFifteenthLineOfLlmrouter() throws IOException {
        Path source = SharedDatasets.file("llmrouter.jsonl");
        List<String> all = Files.readAllLines(source);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 15) {
            lines.add(all.get(i));
        }
        Files.write(dir.resolve("llm-sample.jsonl"), lines);
        Files.writeString(dir.resolve("llm-sample.json"), Files.readString(source.resolveSibling("llmrouter.json"))
                .replaceFirst("\"items\"\\s*:\\s*\\d+", "\"items\": " + lines.size()));
        sample = DatasetLoader.load(dir.resolve("llm-sample.jsonl"));
    }

    private static Simulation.StrategyRun learned(String groupBy) {
        Simulator simulator = new Simulator(sample, new TokenEstimator());
        Simulation sim = new Simulation(simulator, 2, new LearnedStrategies(simulator,
                new LearnedStrategies.Options(new HashingEmbedder(), 5, 42, null, groupBy), (s, p) -> { }));
        return sim.run(List.of("learned"), Map.of(), (s, p) -> { }).getFirst();
    }

    @Test
    void theLearnedRouterChoosesAmongAllNineModels() {
        Simulation.StrategyRun run = learned(null);
        Set<String> chosen = new HashSet<>();
        run.points().forEach(p -> p.items().forEach(i -> chosen.add(i.finalModel())));
        assertThat(chosen).as("models chosen somewhere on the sweep").hasSizeGreaterThan(2);
        assertThat(run.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(sample.items().size()));
        // the most tolerant point sends everything to the cheapest model, gemma-2-9b-it ($0.10 per 1M)
        StrategyResult cheapest = run.points().stream().min(Comparator.comparing(StrategyResult::totalCost)).orElseThrow();
        assertThat(cheapest.items()).allSatisfy(i -> assertThat(i.finalModel()).isEqualTo("gemma-2-9b-it"));
        assertThat(run.versus()).isNotNull();
        assertThat(run.versus().qualityAt25Pct()).isPresent();
    }

    @Test
    void groupedCrossValidationRunsAndRefusesAFieldSomeItemLacks() {
        Simulation.StrategyRun grouped = learned("category");
        assertThat(grouped.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(sample.items().size()));
        assertThat(grouped.points().getFirst().description()).contains("among all 9 models");
        assertThatThrownBy(() -> learned("subject")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--cv-group subject: item " + sample.items().getFirst().id() + " has no subject");
        assertThatThrownBy(() -> learned("split")).as("train and test: two groups for five folds")
                .hasMessage("grouped folds need between 2 and the number of groups (2) folds, got 5");
    }

    @Test
    void everyItemIsRoutedByAModelThatSawLabelledItemsOfItsGroupButNotItself() {
        Simulator simulator = new Simulator(sample, new TokenEstimator());
        LearnedStrategies learned = new LearnedStrategies(simulator,
                new LearnedStrategies.Options(new HashingEmbedder(), 5, 42, null, "category", 5, TrainingSettings.DEFAULT), (s, p) -> { });
        List<Item> items = sample.items();
        String[] group = items.stream().map(i -> i.field("category")).toArray(String[]::new);
        int[] draw = CrossValidation.labelledOfEachGroup(group, 5, 42);
        int[] fold = CrossValidation.assignByGroup(group, 5, 42);
        for (int i = 0; i < items.size(); i++) {
            int f = fold[i];
            int seen = draw[i] == 1 ? 2 : 1;
            long heldOut = IntStream.range(0, items.size()).filter(j -> fold[j] == f).count();
            long labelledHere = IntStream.range(0, items.size()).filter(j -> fold[j] == f && draw[j] == seen).count();
            // routed by the fold's model that also trained on the other draw of labelled items of its groups
            assertThat(labelledHere).isPositive();
            assertThat(learned.modelFor(i).provenance().examples()).as("item %s", items.get(i).id())
                    .isEqualTo((int) (items.size() - heldOut + labelledHere));
            // and never itself: the model trained with the other draw (a model's own draw is in its training)
            assertThat(learned.modelFor(i).provenance().source()).as("item %s of draw %d", items.get(i).id(), draw[i])
                    .contains("labelled draw " + seen + ", fold " + (f + 1) + " of 5 held out");
        }
        Simulation sim = new Simulation(simulator, 2, learned);
        Simulation.StrategyRun run = sim.run(List.of("learned"), Map.of(), (s, p) -> { }).getFirst();
        assertThat(run.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(sample.items().size()));
        assertThat(run.points()).allSatisfy(p -> assertThat(p.items()).extracting(ItemResult::id)
                .containsExactlyElementsOf(sample.items().stream().map(Item::id).toList()));
        assertThatThrownBy(() -> new LearnedStrategies.Options(new HashingEmbedder(), 5, 42, null, null, 5, TrainingSettings.DEFAULT))
                .hasMessageContaining("grouped folds");
    }

    @Test
    void thePolicyKindsBindTheDefaultConfigsThreeTiersOnAFileOfManyModels() {
        Simulation sim = new Simulation(new Simulator(sample, new TokenEstimator()), 2);
        BoundPolicies bound = sim.bound();
        assertThat(bound.weak()).isEqualTo("gemma-2-9b-it");
        assertThat(bound.strong()).isEqualTo("llama-3.1-nemotron-51b-instruct");
        SingleModels.Model middle = sim.singleModels().models().stream().filter(m -> m.id().equals(bound.middle())).findFirst().orElseThrow();
        assertThat(middle.onFrontier()).isTrue();
        assertThat(middle.cost()).isStrictlyBetween(sim.single(bound.weak()).costPerRequestUsd().doubleValue(),
                sim.single(bound.strong()).costPerRequestUsd().doubleValue());

        List<Simulation.StrategyRun> runs = sim.run(List.of("tiered", "cascade", "task"), Map.of(), (s, p) -> { });
        Set<String> tiered = new HashSet<>();
        runs.get(0).points().getFirst().items().forEach(i -> tiered.add(i.finalModel()));
        // low and medium complexity both occur in this sample (the analyser rates none of its prompts high)
        assertThat(tiered).isSubsetOf(bound.weak(), bound.middle(), bound.strong()).contains(bound.weak(), bound.middle());
        // three stages; the file records no answer text, so the heuristic keeps every cheap answer (one point)
        assertThat(bound.cascade(0.5).stages()).extracting(CascadeRouteSpec.Stage::model)
                .containsExactly(bound.weak(), bound.middle(), bound.strong());
        assertThat(runs.get(1).points()).allSatisfy(p -> assertThat(p.items()).allSatisfy(i -> assertThat(i.calls())
                .containsExactly(bound.weak())));
        assertThat(runs.get(1).points().getFirst().description()).contains(bound.weak() + " -> " + bound.middle() + " -> " + bound.strong());
        Set<String> task = new HashSet<>();
        runs.get(2).points().forEach(p -> p.items().forEach(i -> task.add(i.finalModel())));
        assertThat(task).contains(bound.middle(), bound.strong());
    }

    @Test
    void thePriceWeightedRouterSweepsFromTheBestPredictedToTheCheapestModel() {
        Simulator simulator = new Simulator(sample, new TokenEstimator());
        Simulation sim = new Simulation(simulator, 2, new LearnedStrategies(simulator,
                new LearnedStrategies.Options(new HashingEmbedder(), 5, 42, null), (s, p) -> { }));
        Simulation.StrategyRun run = sim.run(List.of("learned-priced"), Map.of(), (s, p) -> { }).getFirst();
        assertThat(run.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(sample.items().size()));
        assertThat(run.points().getFirst().point()).isEqualTo("w=0.000");
        Set<String> chosen = new HashSet<>();
        run.points().forEach(p -> p.items().forEach(i -> chosen.add(i.finalModel())));
        assertThat(chosen).hasSizeGreaterThan(2);
        // the sweep's costs fall as the weight grows, down to the cheapest model alone
        StrategyResult dearest = run.points().getFirst();
        StrategyResult cheapest = run.points().getLast();
        assertThat(cheapest.totalCost().compareTo(dearest.totalCost())).isNegative();
        assertThat(cheapest.items()).allSatisfy(i -> assertThat(i.finalModel()).isEqualTo("gemma-2-9b-it"));
        assertThat(run.versus()).isNotNull();
    }
}
