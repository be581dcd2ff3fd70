package dev.triage.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.routing.ScorerSpec;
import org.junit.jupiter.api.Test;

class ScorerFactoryTest {

    @Test
    void buildsTheScorerEachKindNames() {
        assertThat(ScorerFactory.create(ScorerSpec.HEURISTIC)).isInstanceOf(HeuristicScorer.class);
        ConfidenceScorer logprob = ScorerFactory.create(new ScorerSpec("logprob", null, 0));
        assertThat(logprob).isInstanceOf(LogprobScorer.class);
        assertThat(logprob.needsLogprobs()).isTrue();
        ConfidenceScorer verifier = ScorerFactory.create(new ScorerSpec("verifier", "gpt-4.1", 0));
        assertThat(((VerifierScorer) verifier).judgeModel()).isEqualTo("gpt-4.1");
        ConfidenceScorer consistency = ScorerFactory.create(new ScorerSpec("consistency", null, 5));
        assertThat(((ConsistencyScorer) consistency).samples()).isEqualTo(5);
        for (ConfidenceScorer s : new ConfidenceScorer[] {verifier, consistency, ScorerFactory.create(ScorerSpec.HEURISTIC)}) {
            assertThat(s.needsLogprobs()).as(s.name()).isFalse();
        }
    }

    @Test
    void anUnknownKindIsRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> ScorerFactory.create(new ScorerSpec("vibes", null, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scorer kind 'vibes'; expected one of heuristic, logprob, verifier, consistency, learned");
        assertThatThrownBy(() -> ScorerFactory.create(new ScorerSpec(null, null, 0)))
                .hasMessage("scorer kind is missing; expected one of heuristic, logprob, verifier, consistency, learned");
    }

    @Test
    void aVerifierNeedsAJudgeModel() {
        assertThatThrownBy(() -> ScorerFactory.create(new ScorerSpec("verifier", null, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scorer 'verifier' needs a judge model: the model that grades answers");
        assertThatThrownBy(() -> ScorerFactory.create(new ScorerSpec("verifier", "", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void consistencyNeedsAtLeastTwoSamples() {
        assertThatThrownBy(() -> ScorerFactory.create(new ScorerSpec("consistency", null, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scorer 'consistency' needs samples >= 2 (the answer and at least one more to compare it with), got 1");
    }
}
