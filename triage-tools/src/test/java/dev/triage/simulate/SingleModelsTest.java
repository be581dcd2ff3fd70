package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.triage.simulate.CostCurve.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routers among many models against the single models, on a case worked out by hand. */
class SingleModelsTest {

    private static final double EPS = 1e-6;

    // a $1 q0.5, b $2 q0.6 (under the a–d chord), c $2 q0.4 (dominated), d $3 q0.9 (best), e $4 q0.9 (as good, dearer)
    private final SingleModels models = new SingleModels(List.of("a", "b", "c", "d", "e"),
            List.of(new Point(1, 0.5), new Point(2, 0.6), new Point(2, 0.4), new Point(3, 0.9), new Point(4, 0.9)));

    @Test
    void theBestModelIsTheCheaperOfTheBest() {
        assertThat(models.best().id()).isEqualTo("d");
        assertThat(models.models()).extracting(SingleModels.Model::id, SingleModels.Model::pareto, SingleModels.Model::onFrontier)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", true, true),
                        org.assertj.core.groups.Tuple.tuple("b", true, false),
                        org.assertj.core.groups.Tuple.tuple("c", false, false),
                        org.assertj.core.groups.Tuple.tuple("d", true, true),
                        org.assertj.core.groups.Tuple.tuple("e", false, false));
    }

    @Test
    void aRouterThatMatchesTheBestModelCheaplyIsMeasuredOnItsSweep() {
        SingleModels.Comparison v = models.compare(List.of(new Point(0.2, 0.5), new Point(1.5, 0.95)));
        // reaches 0.9 at 0.2 + (0.4 / 0.45) * 1.3 = 1.35556, of d's $3
        assertThat(v.costToMatchBest().getAsDouble()).isCloseTo((0.2 + 0.4 / 0.45 * 1.3) / 3, within(EPS));
        // at $0.30 and $0.75 on the segment (0.2, 0.5) – (1.5, 0.95)
        assertThat(v.qualityAt10Pct().getAsDouble()).isCloseTo(0.5 + 0.1 / 1.3 * 0.45, within(EPS));
        assertThat(v.qualityAt25Pct().getAsDouble()).isCloseTo(0.5 + 0.55 / 1.3 * 0.45, within(EPS));
        // over $1..$3 against the frontier 0.5 + 0.2 (c - 1): gaps 0.276923 at 1, 0.35 at 1.5, 0.05 at 3
        double area = 0.5 * (0.8 / 1.3 * 0.45 + 0.35) / 2 + 1.5 * (0.35 + 0.05) / 2;
        assertThat(v.areaVsFrontier().getAsDouble()).isCloseTo(area / 2, within(EPS));
    }

    @Test
    void whatASweepNeverReachesIsEmpty() {
        SingleModels.Comparison v = models.compare(List.of(new Point(1, 0.5), new Point(2, 0.8)));
        assertThat(v.costToMatchBest()).isEmpty();
        assertThat(v.qualityAt10Pct()).as("its cheapest point costs more than $0.30").isEmpty();
        assertThat(v.qualityAt25Pct()).isEmpty();
        // 0 at 1, 0.8 - 0.7 at 2, 0.8 - 0.9 at 3
        assertThat(v.areaVsFrontier().getAsDouble()).isCloseTo((0.1 / 2 + (0.1 - 0.1) / 2) / 2, within(EPS));
    }

    @Test
    void theMiddleTierIsTheFrontierCornerNearestTheGeometricMeanOfTheEnds() {
        // a $1 q0.5, b $2 q0.6, c $4 q0.65, d $3 q0.55 (under the hull), e $10 q0.7: all of a, b, c, e are corners
        SingleModels ladder = new SingleModels(List.of("a", "b", "c", "d", "e"), List.of(new Point(1, 0.5), new Point(2, 0.6),
                new Point(4, 0.65), new Point(3, 0.55), new Point(10, 0.7)));
        // sqrt(1 * 10) = 3.16: c at $4 is nearer than b at $2 on a log scale (and d, nearer still, is no corner)
        assertThat(ladder.middle("a", "e")).isEqualTo("c");
        assertThat(ladder.middle("a", "b")).as("nothing costs strictly between").isNull();
        // with no corner between the ends, a Pareto model; here b ($2, q0.6) under the a–d chord
        assertThat(models.middle("a", "d")).isEqualTo("b");
    }
}
