package dev.triage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.triage.embed.Embedder;
import dev.triage.embed.Embedders;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the semantic cache's calibration on GPTCache's pairs (from the shared datasets, never copied into the
 * repository): the defaults are chosen on the first 500 pairs only, and judged on the other 499.
 */
class SemanticCalibrationTest {

    static final Path PAIRS = Path.of("/work/shared/datasets/cache-pairs.json");
    /** The tuning split: pairs 0-499 (cache 0-249, unrelated queries 250-499). */
    static final int TUNING_OFFSET = 0;
    static final int TUNING_SIZE = 250;
    /** The held-out split: pairs 500-997 (cache 500-748, unrelated queries 749-997); what {@code --offset 500} evaluates. */
    static final int HELD_OUT_OFFSET = 500;
    static final int HELD_OUT_SIZE = 249;

    static final double[] LEADS = {0, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15};
    static final double MIN_PRECISION = 0.98;

    private static Embedder embedder;
    private static CacheEvaluation tuning;
    private static CacheEvaluation heldOut;

    @BeforeAll
    static void embed() throws Exception {
        assumeThat(PAIRS).as("GPTCache's pairs in the shared datasets").exists();
        Optional<Embedder> found = Embedders.find();
        assumeThat(found).as("the triage-embeddings module on the class path").isPresent();
        embedder = found.get();
        List<CachePairs> pairs = CachePairs.read(PAIRS);
        tuning = CacheEvaluation.embed(pairs, TUNING_OFFSET, TUNING_SIZE, embedder, Embedder.Progress.NONE);
        heldOut = CacheEvaluation.embed(pairs, HELD_OUT_OFFSET, HELD_OUT_SIZE, embedder, Embedder.Progress.NONE);
    }

    @AfterAll
    static void close() {
        if (embedder != null) {
            embedder.close();
        }
    }

    /** The highest tuning recall with precision at least {@link #MIN_PRECISION}; ties: higher precision, then the smaller lead. */
    static SemanticSettings calibrate(double[] leads, boolean guards) {
        SemanticMatcher matcher = new SemanticMatcher(embedder, SemanticSettings.DEFAULT);
        SemanticSettings best = null;
        CacheEvaluation.Result bestResult = null;
        for (double lead : leads) {
            for (int step = 0; step <= 30; step++) {
                SemanticSettings s = new SemanticSettings(0.85 + step * 0.005, lead, guards);
                CacheEvaluation.Result r = tuning.run(matcher.with(s));
                if (r.precision() < MIN_PRECISION) {
                    continue;
                }
                if (best == null || r.recall() > bestResult.recall()
                        || r.recall() == bestResult.recall() && r.precision() > bestResult.precision()) {
                    best = s;
                    bestResult = r;
                }
            }
        }
        System.out.printf("calibrated %s: tuning %s; held-out %s%n", best, bestResult, heldOut.run(matcher.with(best)));
        return best;
    }

    @Test
    void theDefaultRuleIsTheTuningSplitsBestLeadAndThreshold() {
        SemanticSettings chosen = calibrate(LEADS, true);

        assertThat(chosen.lead()).isCloseTo(SemanticSettings.DEFAULT.lead(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(chosen.threshold()).isCloseTo(SemanticSettings.DEFAULT.threshold(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theStaticBaselineIsTheTuningSplitsBestSingleThreshold() {
        SemanticSettings chosen = calibrate(new double[] {0}, false);

        assertThat(chosen.threshold()).isCloseTo(SemanticSettings.STATIC_BASELINE.threshold(), org.assertj.core.data.Offset.offset(1e-9));
    }

    /** The figures docs-semantic-cache.md reports; the 0.99 / 0.50 target is not reached (see there why). */
    @Test
    void heldOutFiguresAtTheDefaultsAsReported() {
        SemanticMatcher matcher = new SemanticMatcher(embedder, SemanticSettings.DEFAULT);

        // Reported: 96 right, 0 wrong, 6 false hits of 249 pairs (static baseline 84, 3, 1). The ONNX embeddings differ in
        // their last bits between CPUs, which can move a pair that sits on the threshold (97 right on one machine), so
        // the figures are held to within two pairs of the report.
        CacheEvaluation.Result rule = heldOut.run(matcher);
        assertThat(rule.pairs()).isEqualTo(249);
        assertThat(rule.correctHits()).isBetween(94, 98);
        assertThat(rule.wrongHits()).isBetween(0, 2);
        assertThat(rule.falseHits()).isBetween(4, 8);
        CacheEvaluation.Result baseline = heldOut.run(matcher.with(SemanticSettings.STATIC_BASELINE));
        assertThat(baseline.correctHits()).isBetween(82, 86);
        assertThat(baseline.wrongHits()).isBetween(1, 5);
        assertThat(baseline.falseHits()).isBetween(0, 3);
    }

    @Test
    void atTheSameHeldOutRecallTheRuleMakesFewerMistakesThanAStaticThreshold() {
        SemanticMatcher matcher = new SemanticMatcher(embedder, SemanticSettings.DEFAULT);
        CacheEvaluation.Result rule = heldOut.run(matcher.with(SemanticSettings.DEFAULT.withThreshold(0.86)));
        CacheEvaluation.Result fixed = heldOut.run(matcher.with(SemanticSettings.staticThreshold(0.92)));

        assertThat(rule.correctHits()).isEqualTo(fixed.correctHits()).isEqualTo(137);
        assertThat(rule.wrongHits() + rule.falseHits()).isEqualTo(6);
        assertThat(fixed.wrongHits() + fixed.falseHits()).isEqualTo(10);
    }
}
