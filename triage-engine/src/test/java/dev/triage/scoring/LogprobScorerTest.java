package dev.triage.scoring;

import static dev.triage.scoring.Completions.answer;
import static dev.triage.scoring.Completions.completion;
import static dev.triage.scoring.Completions.request;
import static dev.triage.scoring.Completions.withLogprobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class LogprobScorerTest {

    private final LogprobScorer scorer = new LogprobScorer(new HeuristicScorer());

    private double score(ObjectNode completion) {
        return scorer.score(answer(request("What is the capital of France?"), completion), ScriptedModelCalls.NONE);
    }

    @Test
    void asksForLogprobs() {
        assertThat(scorer.needsLogprobs()).isTrue();
        assertThat(scorer.name()).isEqualTo("logprob");
    }

    @Test
    void confidenceIsTheExponentialOfTheMeanTokenLogprob() {
        ObjectNode body = withLogprobs(completion("Paris.", "stop"),
                new String[] {"Par", "is", "."}, new double[] {-0.1, -0.2, -0.3});
        // exp((-0.1 - 0.2 - 0.3) / 3) = exp(-0.2)
        assertThat(score(body)).isCloseTo(0.818730753077982, within(1e-12));
    }

    @Test
    void aConfidentSentenceScoresNearOne() {
        ObjectNode body = withLogprobs(completion("The capital of France is Paris.", "stop"),
                new String[] {"The", " capital", " of", " France", " is", " Paris", "."},
                new double[] {-0.000123, -2.1e-06, 0.0, -1.2e-06, -4.5e-07, -0.0031, -0.00087});
        // sum = -0.00409675, mean = -0.00058525, exp(mean) = 0.99941492122...
        assertThat(score(body)).isCloseTo(0.9994149212253765, within(1e-12));
    }

    @Test
    void oneImprobableTokenDragsTheGeometricMeanDown() {
        ObjectNode body = withLogprobs(completion("Sydney", "stop"),
                new String[] {"Syd", "ney"}, new double[] {-2.302585092994046, 0.0});
        // exp(ln(0.1) / 2) = sqrt(0.1)
        assertThat(score(body)).isCloseTo(Math.sqrt(0.1), within(1e-12));
    }

    @Test
    void withoutLogprobsTheHeuristicScoreIsUsed() {
        ObjectNode hedged = completion("I think it is Paris.", "stop");
        assertThat(score(hedged)).isEqualTo(0.75);
        assertThat(LogprobScorer.hasLogprobs(answer(request("q"), hedged))).isFalse();

        ObjectNode emptyList = withLogprobs(completion("Paris.", "stop"), new String[0], new double[0]);
        assertThat(score(emptyList)).isEqualTo(0.9);
        assertThat(LogprobScorer.hasLogprobs(answer(request("q"), emptyList))).isFalse();
    }

    @Test
    void aToolCallWithoutLogprobsIsScoredByTheHeuristic() {
        assertThat(score(Completions.toolCall("lookup", "{}"))).isEqualTo(0.9);
    }

    @Test
    void anEmptyAnswerScoresZeroEvenWithLogprobs() {
        ObjectNode body = withLogprobs(completion("", "stop"), new String[] {""}, new double[] {-0.01});
        assertThat(score(body)).isEqualTo(0.0);
    }

    @Test
    void tokensWithoutANumericLogprobAreSkipped() {
        ObjectNode body = withLogprobs(completion("Paris.", "stop"), new String[] {"Paris", "."}, new double[] {-0.4, 0});
        ((ObjectNode) body.path("choices").path(0).path("logprobs").path("content").path(1)).putNull("logprob");
        assertThat(score(body)).isCloseTo(Math.exp(-0.4), within(1e-15));
    }
}
