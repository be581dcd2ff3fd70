package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArithmeticTest {

    @Test
    void rightSumsInEitherNotationPass() {
        assertThat(Arithmetic.check("He runs 3 x 60 = 180 meters, so <<180*3=540>>540 in all.")).isEqualTo(new Arithmetic.Check(2, 0));
    }

    @Test
    void aWrongSumIsCounted() {
        assertThat(Arithmetic.check("15 + 25 = 41 cups, and 40 / 2 = 20")).isEqualTo(new Arithmetic.Check(2, 1));
    }

    @Test
    void parenthesesDecimalsAndThousandsSeparatorsAreUnderstood() {
        assertThat(Arithmetic.check("(2 + 3) * 1.5 = 7.5 and 1,000 * 3 = 3,000")).isEqualTo(new Arithmetic.Check(2, 0));
        assertThat(Arithmetic.evaluate("2 + 3 * (4 - 1)")).isEqualTo(11.0);
    }

    @Test
    void roundedResultsOfDivisionsAreAccepted() {
        assertThat(Arithmetic.check("10 / 3 = 3.33")).isEqualTo(new Arithmetic.Check(1, 0));
        assertThat(Arithmetic.check("10 / 3 = 3.5")).isEqualTo(new Arithmetic.Check(1, 1));
    }

    @Test
    void textWithoutCalculationsChecksNothing() {
        assertThat(Arithmetic.check("The answer is 42. It was 2019 = a good year")).isEqualTo(new Arithmetic.Check(0, 0));
        assertThat(Arithmetic.evaluate("2 +")).isNull();
        assertThat(Arithmetic.evaluate("(2 + 3")).isNull();
    }

    @Test
    void theLastResultIsTheLastEquationsRightHandSide() {
        assertThat(Arithmetic.lastResult("3 * 4 = 12, then 12 + 1 = 13.")).isEqualTo(13.0);
        assertThat(Arithmetic.lastResult("no sums")).isNull();
    }
}
