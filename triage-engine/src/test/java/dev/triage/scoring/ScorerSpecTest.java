package dev.triage.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.learn.LearnedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorerSpecTest {

    @Test
    void buildsTheScorerEachKindNames() {
        assertThat(ScorerSpec.HEURISTIC.create()).isInstanceOf(HeuristicScorer.class);
        ConfidenceScorer logprob = new ScorerSpec.Logprob().create();
        assertThat(logprob).isInstanceOf(LogprobScorer.class);
        assertThat(logprob.needsLogprobs()).isTrue();
        ConfidenceScorer verifier = new ScorerSpec.Verifier("gpt-4.1").create();
        assertThat(((VerifierScorer) verifier).judgeModel()).isEqualTo("gpt-4.1");
        ConfidenceScorer consistency = new ScorerSpec.Consistency(5).create();
        assertThat(((ConsistencyScorer) consistency).samples()).isEqualTo(5);
        for (ConfidenceScorer s : new ConfidenceScorer[] {verifier, consistency, ScorerSpec.HEURISTIC.create()}) {
            assertThat(s.needsLogprobs()).as(s.name()).isFalse();
        }
    }

    @Test
    void eachKindSaysWhetherItCallsModelsAndNamesItselfAsConfigDoes() {
        List<ScorerSpec> all = List.of(ScorerSpec.HEURISTIC, new ScorerSpec.Logprob(), new ScorerSpec.Verifier("gpt-4.1"),
                new ScorerSpec.Consistency(3));
        assertThat(all).extracting(ScorerSpec::kind).containsExactly("heuristic", "logprob", "verifier", "consistency");
        assertThat(all).extracting(ScorerSpec::callsModels).containsExactly(false, false, true, true);
        assertThat(ScorerSpec.KINDS).containsExactly("heuristic", "logprob", "verifier", "consistency", "learned");
    }

    @Test
    void aLearnedScorerNeedsAModel() {
        assertThatThrownBy(() -> new ScorerSpec.Learned((LearnedModel) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("scorer 'learned' needs a trained model (model_file)");
    }

    @Test
    void aVerifierNeedsAJudgeModel() {
        assertThatThrownBy(() -> new ScorerSpec.Verifier(null).create())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scorer 'verifier' needs a judge model: the model that grades answers");
        assertThatThrownBy(() -> new ScorerSpec.Verifier("").create())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void consistencyNeedsAtLeastTwoSamples() {
        assertThatThrownBy(() -> new ScorerSpec.Consistency(1).create())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scorer 'consistency' needs samples >= 2 (the answer and at least one more to compare it with), got 1");
    }
}
