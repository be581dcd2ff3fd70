package dev.triage.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.triage.catalog.Price;
import dev.triage.testing.SharedDatasets;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The datasets in {@code ../shared/datasets/} load, and reproduce the reference points their README
 * gives (computed with the RouteLLM paper's definitions).
 */
class ShippedDatasetsTest {

    private static final String STRONG = "gpt-4-1106-preview";
    private static final String WEAK = "mixtral-8x7b-instruct";
    private static final int SEEDS = 40;
    private static final long SEED_BASE = 20_240_626L; // the paper's submission date; any fixed value works

    private static Dataset gsm8k;
    private static double[] strong;
    private static double[] weak;

    @BeforeAll
    static void loadGsm8k() {
        gsm8k = DatasetLoader.load(SharedDatasets.file("gsm8k.jsonl"));
        strong = gsm8k.items().stream().mapToDouble(i -> i.outcome(STRONG).score()).toArray();
        weak = gsm8k.items().stream().mapToDouble(i -> i.outcome(WEAK).score()).toArray();
    }

    @Test
    void gsm8kHasItsManifestsModelsAndPrices() {
        Manifest m = gsm8k.manifest();
        assertThat(gsm8k.items()).hasSize(1307);
        assertThat(m.name()).isEqualTo("gsm8k");
        assertThat(m.strongModel()).isEqualTo(STRONG);
        assertThat(m.weakModel()).isEqualTo(WEAK);
        assertThat(m.price(STRONG)).isEqualTo(Price.of("10", "30"));
        assertThat(m.price(STRONG).inputPerMtok()).isEqualTo(new BigDecimal("10.0"));
        assertThat(m.price(WEAK)).isEqualTo(Price.of("0.24", "0.24"));
        assertThat(gsm8k.items().getFirst().outcome(WEAK).response()).endsWith("#### 540");
    }

    @Test
    void gsm8kSingleModelQualitiesAreTheReadmesFigures() {
        assertThat(gsm8k.meanScore(STRONG)).isCloseTo(0.858, within(0.0005));
        assertThat(gsm8k.meanScore(WEAK)).isCloseTo(0.637, within(0.0005));
    }

    @Test
    void gsm8kOracleReaches0930At29Point2PercentStrongCalls() {
        int strongCalls = 0;
        double total = 0;
        for (int i = 0; i < strong.length; i++) {
            boolean strongIsBetter = strong[i] > weak[i];
            strongCalls += strongIsBetter ? 1 : 0;
            total += strongIsBetter ? strong[i] : weak[i];
        }
        assertThat(total / strong.length).isCloseTo(0.930, within(0.0005));
        assertThat(100.0 * strongCalls / strong.length).isCloseTo(29.2, within(0.05));
    }

    /**
     * RouteLLM's random router: every item gets a uniform random score, swept at 10 quantiles. Any
     * share of strong calls then recovers the same share of the gap on average, so APGR ≈ 0.5 and
     * CPT(50%) ≈ 50% (README: 0.507 and 49.1% for one draw).
     */
    @Test
    void aRandomRouterOnGsm8kRecoversHalfTheGap() {
        PerformanceGap gap = new PerformanceGap(gsm8k.meanScore(WEAK), gsm8k.meanScore(STRONG));
        double apgr = 0;
        double cpt50 = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(SEED_BASE + seed);
            double[] scores = new double[strong.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = random.nextDouble();
            }
            RouterCurve curve = ThresholdSweep.over(scores, 10).curve(scores, strong, weak);
            assertThat(curve.points()).hasSize(11);
            assertThat(curve.points().getFirst().strongCallShare()).isZero();
            assertThat(curve.points().getLast().strongCallShare()).isEqualTo(1.0);
            apgr += curve.apgr(gap);
            cpt50 += curve.cpt(0.5, gap).orElseThrow();
        }
        apgr /= SEEDS;
        cpt50 /= SEEDS;
        System.out.printf("GSM8K random router over %d seeds: APGR %.3f, CPT(50%%) %.1f%%%n", SEEDS, apgr, 100 * cpt50);
        assertThat(apgr).isCloseTo(0.50, within(0.03));
        assertThat(100 * cpt50).isCloseTo(50.0, within(4.0));
    }

    /** The same router as a coin per item: strong with probability p, for p = 0, 0.1, …, 1. */
    @Test
    void aCoinFlipRouterOnGsm8kRecoversHalfTheGap() {
        PerformanceGap gap = new PerformanceGap(gsm8k.meanScore(WEAK), gsm8k.meanScore(STRONG));
        double apgr = 0;
        double cpt50 = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(SEED_BASE + seed);
            List<OperatingPoint> points = new ArrayList<>();
            for (int k = 0; k <= 10; k++) {
                double p = k / 10.0;
                int strongCalls = 0;
                double total = 0;
                for (int i = 0; i < strong.length; i++) {
                    boolean toStrong = random.nextDouble() < p;
                    strongCalls += toStrong ? 1 : 0;
                    total += toStrong ? strong[i] : weak[i];
                }
                points.add(new OperatingPoint((double) strongCalls / strong.length, total / strong.length));
            }
            RouterCurve curve = RouterCurve.of(points);
            apgr += curve.apgr(gap);
            cpt50 += curve.cpt(0.5, gap).orElseThrow();
        }
        apgr /= SEEDS;
        cpt50 /= SEEDS;
        System.out.printf("GSM8K coin-flip router over %d seeds: APGR %.3f, CPT(50%%) %.1f%%%n", SEEDS, apgr, 100 * cpt50);
        assertThat(apgr).isCloseTo(0.50, within(0.03));
        assertThat(100 * cpt50).isCloseTo(50.0, within(4.0));
    }

    @Test
    void theStrongAndWeakModelAloneAreTheEndsOfEveryCurve() {
        RouterCurve ends = RouterCurve.of(List.of(
                new OperatingPoint(0, gsm8k.meanScore(WEAK)), new OperatingPoint(1, gsm8k.meanScore(STRONG))));
        assertThat(ends.apgr(gsm8k.meanScore(WEAK), gsm8k.meanScore(STRONG))).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void mmluLoadsWellUnderTwoSeconds() {
        long start = System.nanoTime();
        Dataset mmlu = DatasetLoader.load(SharedDatasets.file("mmlu.jsonl"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("MMLU: %d items loaded in %d ms%n", mmlu.items().size(), millis);
        assertThat(mmlu.items()).hasSize(9762);
        assertThat(millis).isLessThan(2000);
        assertThat(mmlu.meanScore(STRONG)).isCloseTo(0.783, within(0.0005));
        assertThat(mmlu.meanScore(WEAK)).isCloseTo(0.647, within(0.0005));
        assertThat(mmlu.items().getFirst().outcome(STRONG)).isEqualTo(new Outcome(1.0, null, 1));
        assertThat(mmlu.items().getFirst().category()).isEqualTo("abstract_algebra");
    }
}
