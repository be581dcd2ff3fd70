package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.routing.TieredRouteSpec;
import dev.triage.scoring.ScorerSpec;
import dev.triage.testing.SharedDatasets;
import dev.triage.tokens.TokenEstimator;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator on the shipped GSM8K file: references match the dataset README, routes run on the real engine. */
class SimulatorTest {

    private static Simulator simulator;
    private static Simulation simulation;

    @BeforeAll
    static void load() {
        simulator = new Simulator(DatasetLoader.load(SharedDatasets.file("gsm8k.jsonl")), new TokenEstimator());
        simulation = new Simulation(simulator, 20);
    }

    @Test
    void referencesReproduceTheDatasetReadme() {
        StrategyResult strong = simulator.always("always-strong", simulator.strong());
        StrategyResult weak = simulator.always("always-weak", simulator.weak());
        StrategyResult oracle = simulator.oracle();
        assertThat(strong.quality()).isCloseTo(0.858, within(0.0005));
        assertThat(weak.quality()).isCloseTo(0.637, within(0.0005));
        assertThat(oracle.quality()).isCloseTo(0.930, within(0.0005));
        assertThat(oracle.strongShare()).isCloseTo(0.292, within(0.0005));
        assertThat(strong.strongShare()).isEqualTo(1.0);
        assertThat(weak.totalCost().compareTo(strong.totalCost())).isNegative();
        assertThat(simulation.costReductionPct(strong)).isZero();
    }

    @Test
    void randomRoutingRecoversHalfTheGapAsInThePaper() {
        Simulation.StrategyRun random = simulation.run(List.of("random"), Map.of(), (s, f) -> { }).getFirst();
        assertThat(random.apgr()).isCloseTo(0.50, within(0.03));
        assertThat(random.cpt(0.5)).isCloseTo(0.50, within(0.04));
        assertThat(random.points()).hasSize(11);
    }

    @Test
    void aRouteRunsOnTheRealEngineAndCostsAddUp() {
        RouteSpec escalateAll = new CascadeRouteSpec("c", List.of(new CascadeRouteSpec.Stage(simulator.weak(), 1.0),
                new CascadeRouteSpec.Stage(simulator.strong(), null)), ScorerSpec.HEURISTIC, QualityFloor.NONE);
        StrategyResult r = simulator.runRoute("c", null, "always escalate", escalateAll);
        StrategyResult strong = simulator.always("s", simulator.strong());
        StrategyResult weak = simulator.always("w", simulator.weak());
        assertThat(r.items()).allSatisfy(i -> assertThat(i.calls()).containsExactly(simulator.weak(), simulator.strong()));
        assertThat(r.quality()).isEqualTo(strong.quality());
        // paying for both calls on every item, exactly
        assertThat(r.totalCost()).isEqualTo(strong.totalCost().plus(weak.totalCost()));
    }

    @Test
    void scorersThatNeedALiveModelAreNotSimulated() {
        RouteSpec judged = new CascadeRouteSpec("j", List.of(new CascadeRouteSpec.Stage(simulator.weak(), 0.5),
                new CascadeRouteSpec.Stage(simulator.strong(), null)), new ScorerSpec.Verifier(simulator.weak()), QualityFloor.NONE);
        assertThatThrownBy(() -> simulator.runRoute("j", null, "", judged))
                .hasMessageContaining("verifier scorer, which needs a live model call");
    }

    @Test
    void routesNamingOtherModelsAreRefusedUnlessMapped() {
        RouteSpec vendor = new CascadeRouteSpec("cascade", List.of(new CascadeRouteSpec.Stage("gemini-2.0-flash", 0.9),
                new CascadeRouteSpec.Stage("gpt-4.5", null)), ScorerSpec.HEURISTIC, QualityFloor.NONE);
        Set<String> models = Set.of(simulator.weak(), simulator.strong());
        assertThatThrownBy(() -> RouteModels.map(vendor, Map.of(), models))
                .hasMessageContaining("gemini-2.0-flash, gpt-4.5").hasMessageContaining("--map");
        RouteSpec mapped = RouteModels.map(vendor, Map.of("gemini-2.0-flash", simulator.weak(), "gpt-4.5", simulator.strong()), models);
        assertThat(((CascadeRouteSpec) mapped).stages()).extracting(CascadeRouteSpec.Stage::model)
                .containsExactly(simulator.weak(), simulator.strong());
    }

    @Test
    void mappingATieredRouteMapsItsModelFloorToo() {
        RouteSpec vendor = new TieredRouteSpec("tiered", List.of(new TieredRouteSpec.Tier("high", List.of("gpt-4.5"), null),
                new TieredRouteSpec.Tier("low", List.of("gemini-2.0-flash"), null)), ZoneOffset.UTC, new QualityFloor.Model("gemini-2.0-flash"));
        Set<String> models = Set.of(simulator.weak(), simulator.strong());
        TieredRouteSpec mapped = (TieredRouteSpec) RouteModels.map(vendor,
                Map.of("gemini-2.0-flash", simulator.weak(), "gpt-4.5", simulator.strong()), models);
        assertThat(mapped.tiers()).extracting(t -> t.models().getFirst()).containsExactly(simulator.strong(), simulator.weak());
        assertThat(mapped.floor()).isEqualTo(new QualityFloor.Model(simulator.weak()));
    }

    @Test
    void theWholeDefaultRunIsFastAndEverySweptStrategyHasMetrics() {
        long start = System.nanoTime();
        List<Simulation.StrategyRun> runs = simulation.run(Simulation.defaultStrategies(Set.of()), Map.of(), (s, f) -> { });
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(30);
        assertThat(runs).extracting(Simulation.StrategyRun::name)
                .containsExactly("always-strong", "always-weak", "random", "oracle", "cascade", "task", "tiered");
        assertThat(runs).filteredOn(Simulation.StrategyRun::swept).allSatisfy(r -> assertThat(r.apgr()).isBetween(0.0, 1.0));
    }
}
