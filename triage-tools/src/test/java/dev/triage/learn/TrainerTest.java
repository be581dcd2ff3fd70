package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.testing.HashingEmbedder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
    static final TrainingSettings SMALL = new TrainingSettings(7, 1.0, 10);

    static LearnedModel train(List<Example> examples) {
        return new Trainer(new HashingEmbedder(), SMALL, CLOCK).train(examples, new Trainer.Source("synthetic", null), n -> { });
    }

    @Test
    void hardPromptsArePredictedToNeedTheStrongModel() {
        LearnedModel model = train(Synthetic.examples(120, 1));
        Random r = new Random(99);
        Map<String, Double> hard = model.predictQuality(Synthetic.hard(1000, r).prompt());
        Map<String, Double> easy = model.predictQuality(Synthetic.easy(1001, r).prompt());
        double hardGap = hard.get(Synthetic.STRONG) - hard.get(Synthetic.WEAK);
        double easyGap = easy.get(Synthetic.STRONG) - easy.get(Synthetic.WEAK);
        assertThat(hardGap).isGreaterThan(0.5);
        assertThat(easyGap).isLessThan(0.2);
    }

    @Test
    void wrongWorkingIsJudgedLessAcceptableThanRightWorking() {
        LearnedModel model = train(Synthetic.examples(120, 2));
        Random r = new Random(7);
        Example hard = Synthetic.hard(2000, r);
        Example easy = Synthetic.easy(2001, r);
        double bad = model.acceptProbability(Synthetic.WEAK, hard.prompt(), hard.outcomes().get(Synthetic.WEAK).answer(), "stop").orElseThrow();
        double good = model.acceptProbability(Synthetic.WEAK, easy.prompt(), easy.outcomes().get(Synthetic.WEAK).answer(), "stop").orElseThrow();
        assertThat(bad).isLessThan(0.3);
        assertThat(good).isGreaterThan(0.7);
    }

    @Test
    void provenanceRecordsWhatItLearnedFrom() {
        LearnedModel model = train(Synthetic.examples(40, 3));
        Provenance p = model.provenance();
        assertThat(p.examples()).isEqualTo(40);
        assertThat(p.trainedAt()).isEqualTo(CLOCK.instant());
        assertThat(p.outcomesPerModel()).containsEntry(Synthetic.WEAK, 40).containsEntry(Synthetic.STRONG, 40);
        assertThat(p.embedder()).isEqualTo(HashingEmbedder.ID);
        assertThat(model.models()).containsExactlyInAnyOrder(Synthetic.WEAK, Synthetic.STRONG);
    }

    @Test
    void aModelWithoutRecordedAnswersGetsNoAcceptanceHead() {
        List<Example> noAnswers = Synthetic.examples(40, 4).stream().map(e -> new Example(e.id(), e.prompt(), Map.of(
                Synthetic.WEAK, new Example.Outcome(e.outcomes().get(Synthetic.WEAK).score(), null, null),
                Synthetic.STRONG, e.outcomes().get(Synthetic.STRONG)))).toList();
        LearnedModel model = train(noAnswers);
        assertThat(model.judges(Synthetic.WEAK)).isFalse();
        assertThat(model.judges(Synthetic.STRONG)).isFalse(); // its answers are all acceptable: nothing to tell apart
        assertThat(model.acceptProbability(Synthetic.WEAK, "x", "y", "stop")).isEmpty();
    }

    @Test
    void acceptableMeansNoOtherRecordedModelDidBetter() {
        Example bothWrong = new Example("a", "p", Map.of("w", new Example.Outcome(0, "", null), "s", new Example.Outcome(0, "", null)));
        Example strongBetter = new Example("b", "p", Map.of("w", new Example.Outcome(0, "", null), "s", new Example.Outcome(1, "", null)));
        Example alone = new Example("c", "p", Map.of("w", new Example.Outcome(0.25, "", null)));
        assertThat(Trainer.acceptable("w", bothWrong)).isEqualTo(1);
        assertThat(Trainer.acceptable("w", strongBetter)).isEqualTo(0);
        assertThat(Trainer.acceptable("s", strongBetter)).isEqualTo(1);
        assertThat(Trainer.acceptable("w", alone)).isEqualTo(0.25);
    }

    @Test
    void nothingToTrainOnIsRefused() {
        assertThatThrownBy(() -> train(List.of())).hasMessageContaining("no examples");
        assertThatThrownBy(() -> new TrainingSettings(0, 1, 10)).hasMessageContaining("neighbours");
        assertThatThrownBy(() -> new Example.Outcome(1.5, null, null)).hasMessageContaining("between 0 and 1");
    }
}
