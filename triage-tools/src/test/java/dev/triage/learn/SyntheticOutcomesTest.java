package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.testing.HashingEmbedder;
import dev.triage.testing.SyntheticOutcomes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The premises the gateway's learned-routing tests rest on: the small synthetic model learns what it was shown. */
class SyntheticOutcomesTest {

    private final LearnedModel model = SyntheticOutcomes.train(new HashingEmbedder(), "cheap", "strong");

    @Test
    void proofsAndIntegralsArePredictedBetterOnTheStrongModel() {
        Map<String, Double> q = model.predictQuality("Prove that the integral of sin(x) over 0 to 2 pi is zero.");
        assertThat(q.get("strong") - q.get("cheap")).isGreaterThan(0.5);
    }

    @Test
    void greetingsArePredictedAlikeOnBoth() {
        Map<String, Double> q = model.predictQuality("Hello there, how are you?");
        assertThat(Math.abs(q.get("strong") - q.get("cheap"))).isLessThan(0.05);
    }

    @Test
    void onlyTheCheapModelsAnswersCanBeJudged() {
        assertThat(model.judgedModels()).containsExactly("cheap");
        assertThat(model.judges("strong")).isFalse();
    }

    @Test
    void aRightSumIsAcceptedAndAWrongOrCutOffOneIsNot() {
        String prompt = "Add 40 and 35: what is 40 + 35.";
        double right = model.acceptProbability("cheap", prompt, "40 + 35 = 75. The answer is 75.", "stop").orElseThrow();
        double wrong = model.acceptProbability("cheap", prompt, "40 + 35 = 85. The answer is 85.", "stop").orElseThrow();
        double cut = model.acceptProbability("cheap", prompt, "Adding them step by step: 40 + 35 =", "length").orElseThrow();
        assertThat(right).isGreaterThan(0.7);
        assertThat(wrong).isLessThan(0.3);
        assertThat(cut).isLessThan(0.3);
    }
}
