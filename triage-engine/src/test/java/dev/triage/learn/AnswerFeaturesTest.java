package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerFeaturesTest {

    private static double feature(double[] x, String name) {
        return x[AnswerFeatures.NAMES.indexOf(name)];
    }

    @Test
    void aWorkedAnswerWithAFinalLineIsRecognised() {
        double[] x = AnswerFeatures.of("Tom has 3 bags of 4 apples. How many?", "3 * 4 = 12\n#### 12", "stop");
        assertThat(feature(x, "final_answer")).isEqualTo(1);
        assertThat(feature(x, "wrong_sums")).isZero();
        assertThat(feature(x, "checked_sums")).isEqualTo(1);
        assertThat(feature(x, "prompt_numbers_used")).isEqualTo(1);
        assertThat(feature(x, "final_matches_last_sum")).isEqualTo(1);
        assertThat(feature(x, "cut_off")).isZero();
    }

    @Test
    void aCutOffHedgingAnswerIsFlagged() {
        double[] x = AnswerFeatures.of("Tom has 3 bags of 4 apples and 7 pears.", "I think it might be 3 * 4 = <<3*4", "length");
        assertThat(feature(x, "cut_off")).isEqualTo(1);
        assertThat(feature(x, "hedges")).isEqualTo(1);
        assertThat(feature(x, "final_answer")).isZero();
        assertThat(feature(x, "prompt_numbers_used")).isEqualTo(2.0 / 3);
    }

    @Test
    void anEmptyAnswerSaysSo() {
        double[] x = AnswerFeatures.of("Which is right? A, B, C or D", "", "stop");
        assertThat(feature(x, "empty")).isEqualTo(1);
        assertThat(x).hasSize(AnswerFeatures.NAMES.size());
    }
}
