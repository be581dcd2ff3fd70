package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.TokenEstimator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of many models: recorded costs win over prices, a model may be known by its costs alone, answers
 * without text or length take the manifest's default length, and the strong and weak model may be left out.
 */
class ManyModelDatasetTest {

    // a: $1 / $1 per 1M tokens; b: no price, every outcome carries cost_usd; c: $10 / $10. No strong or weak named.
    private static final String MANIFEST = """
            {
              "name": "three",
              "score": {"min": 0, "max": 1},
              "models": {
                "a": {"input_per_mtok": 1, "output_per_mtok": 1},
                "b": {"upstream_id": "vendor/b"},
                "c": {"input_per_mtok": 10, "output_per_mtok": 10}
              },
              "default_output_tokens": 100
            }
            """;

    private static final String[] LINES = {
        line("q1", "{\"score\": 0.5, \"cost_usd\": 0.002}", "{\"score\": 1, \"cost_usd\": 0.0001}", "{\"score\": 1}"),
        line("q2", "{\"score\": 1}", "{\"score\": 0, \"cost_usd\": 1E-4}", "{\"score\": 1}"),
        line("q3", "{\"score\": 0}", "{\"score\": 0, \"cost_usd\": 0.0003}", "{\"score\": 1, \"output_tokens\": 7}"),
    };

    @TempDir
    Path dir;

    private static String line(String id, String a, String b, String c) {
        return "{\"id\": \"" + id + "\", \"category\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"What is two plus two?\"}],"
                + " \"outcomes\": {\"a\": " + a + ", \"b\": " + b + ", \"c\": " + c + "}}";
    }

    private Simulator simulator(String manifest, String... lines) {
        return new Simulator(DatasetLoader.load(DatasetFiles.write(dir, manifest, lines)), new TokenEstimator());
    }

    private static long inputTokens() {
        return new TokenEstimator().countMessages(new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode()
                .add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("role", "user").put("content", "What is two plus two?")));
    }

    @Test
    void recordedCostsWinOverPricesAndAnswersWithoutLengthTakeTheDefault() {
        Simulator sim = simulator(MANIFEST, LINES);
        List<Item> items = sim.dataset().items();
        long in = inputTokens();
        // $1 per 1M tokens is 1,000,000 picodollars a token; $10, ten times that
        assertThat(sim.cost(items.get(0), "a")).isEqualTo(Money.ofUsd("0.002"));
        assertThat(sim.cost(items.get(1), "a")).isEqualTo(new Money((in + 100) * 1_000_000L));
        assertThat(sim.cost(items.get(1), "b")).isEqualTo(Money.ofUsd("0.0001"));
        assertThat(sim.cost(items.get(2), "c")).as("recorded output_tokens beat the default").isEqualTo(new Money((in + 7) * 10_000_000L));
        assertThat(sim.always("b", "b").totalCost()).isEqualTo(Money.ofUsd("0.0005"));
    }

    @Test
    void aModelKnownOnlyByRecordedCostsIsRankedByItsCostPerToken() {
        Simulator sim = simulator(MANIFEST, LINES);
        long tokens = 3 * (inputTokens() + 100);
        // $0.0005 over its tokens, per 1M, to 6 places, for input and output alike; routes rank by their sum
        java.math.BigDecimal perMtok = new java.math.BigDecimal("500").divide(java.math.BigDecimal.valueOf(tokens), 6,
                java.math.RoundingMode.HALF_EVEN);
        assertThat(sim.pricePerToken("b")).isEqualByComparingTo(perMtok.add(perMtok));
        assertThat(sim.pricePerToken("a")).isEqualByComparingTo("2");
        assertThat(sim.pricePerToken("c")).isEqualByComparingTo("20");
    }

    @Test
    void withoutANamedPairTheBestOnAverageIsStrongAndTheCheapestWeak() {
        Simulator sim = simulator(MANIFEST, LINES);
        assertThat(sim.strong()).isEqualTo("c");
        assertThat(sim.weak()).as("b costs $0.0005 in all, a about $0.0022").isEqualTo("b");
        assertThat(sim.pairPicked()).isTrue();
        Simulator named = simulator(MANIFEST.replace("\"default_output_tokens\": 100", "\"default_output_tokens\": 100, \"weak_model\": \"a\""), LINES);
        assertThat(named.weak()).isEqualTo("a");
        assertThat(named.strong()).isEqualTo("c");
    }

    @Test
    void theOracleTakesTheCheapestOfTheBestAmongAllModels() {
        StrategyResult oracle = simulator(MANIFEST, LINES).oracle();
        assertThat(oracle.items()).extracting(ItemResult::finalModel).containsExactly("b", "a", "c");
        assertThat(oracle.quality()).isEqualTo(1.0);
    }

    @Test
    void aRouteIsChargedTheRecordedCostOfEveryCall() {
        Simulator sim = simulator(MANIFEST, LINES);
        CascadeRouteSpec escalateAll = new CascadeRouteSpec("c", List.of(new CascadeRouteSpec.Stage("b", 1.0),
                new CascadeRouteSpec.Stage("c", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE);
        StrategyResult r = sim.runRoute("c", null, "b then c", escalateAll);
        Money expected = Money.ZERO;
        for (ItemResult item : r.items()) {
            assertThat(item.calls()).containsExactly("b", "c");
        }
        for (Item item : sim.dataset().items()) {
            expected = expected.plus(sim.cost(item, "b")).plus(sim.cost(item, "c"));
        }
        assertThat(r.totalCost()).isEqualTo(expected);
    }

    @Test
    void theSimulationComparesStrategiesWithEverySingleModel() {
        Simulation simulation = new Simulation(simulator(MANIFEST, LINES), 2);
        assertThat(simulation.singleModels().models()).extracting(SingleModels.Model::id).containsExactly("a", "b", "c");
        assertThat(simulation.singleModels().best().id()).isEqualTo("c");
        Simulation.StrategyRun random = simulation.run(List.of("random"), Map.of(), (s, f) -> { }).getFirst();
        // random mixes b and c, which the frontier starts and ends with: it reaches c's quality only at c's cost
        assertThat(random.versus().costToMatchBest().getAsDouble()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(simulation.plot(List.of(random))).contains("single-model frontier").contains(">a<");
    }

    @Test
    void aModelWithNeitherPriceNorRecordedCostIsRefusedOnItsLine() {
        Path f = DatasetFiles.write(dir, MANIFEST, LINES[0], line("q2", "{\"score\": 1}", "{\"score\": 0}", "{\"score\": 1}"));
        assertThatThrownBy(() -> DatasetLoader.load(f)).isInstanceOf(DatasetException.class)
                .hasMessageContaining(f + ":2: outcomes.\"b\" has no cost_usd, and the manifest gives no price for b");
        Path negative = DatasetFiles.write(dir, MANIFEST, line("q1", "{\"score\": 1}", "{\"score\": 0, \"cost_usd\": -0.1}", "{\"score\": 1}"));
        assertThatThrownBy(() -> DatasetLoader.load(negative)).hasMessageContaining(":1: outcomes.\"b\".cost_usd cannot be negative, found -0.1");
        Path text = DatasetFiles.write(dir, MANIFEST, line("q1", "{\"score\": 1}", "{\"score\": 0, \"cost_usd\": \"1\"}", "{\"score\": 1}"));
        assertThatThrownBy(() -> DatasetLoader.load(text)).hasMessageContaining(":1: outcomes.\"b\".cost_usd must be a number of US dollars");
        Path badDefault = DatasetFiles.write(dir, MANIFEST.replace("100", "-3"), LINES);
        assertThatThrownBy(() -> DatasetLoader.load(badDefault)).hasMessageContaining("default_output_tokens must be a whole number of tokens, found -3");
    }

    @Test
    void routingNeedsTwoModelsOnEveryItem() throws Exception {
        String one = "{\"name\": \"one\", \"score\": {\"min\": 0, \"max\": 1}}";
        Path f = DatasetFiles.write(dir, one, "{\"id\": \"q\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],"
                + " \"outcomes\": {\"solo\": {\"score\": 1, \"cost_usd\": 0.01}}}");
        Dataset d = DatasetLoader.load(f);
        assertThat(Files.exists(f)).isTrue();
        assertThatThrownBy(() -> new Simulator(d, new TokenEstimator())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two models with an outcome on every item; this file has 1");
    }
}
