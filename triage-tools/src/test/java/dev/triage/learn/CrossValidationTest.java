package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.triage.testing.HashingEmbedder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    @Test
    void foldsAreBalancedAndFixedBySeed() {
        int[] a = CrossValidation.assign(103, 5, 42);
        assertThat(CrossValidation.assign(103, 5, 42)).containsExactly(a);
        assertThat(CrossValidation.assign(103, 5, 43)).isNotEqualTo(a);
        for (int f = 0; f < 5; f++) {
            assertThat(CrossValidation.members(a, f).length).isBetween(20, 21);
        }
        assertThatThrownBy(() -> CrossValidation.assign(3, 5, 1)).hasMessageContaining("folds");
    }

    @Test
    void groupedFoldsKeepEveryGroupWholeAndAboutEqual() {
        // groups of 30, 20, 20, 10, 10, 5, 5 items: 100 in all, into 3 folds
        String[] group = new String[100];
        int[] sizes = {30, 20, 20, 10, 10, 5, 5};
        int i = 0;
        for (int g = 0; g < sizes.length; g++) {
            for (int j = 0; j < sizes[g]; j++) {
                group[i++] = "g" + g;
            }
        }
        int[] fold = CrossValidation.assignByGroup(group, 3, 42);
        assertThat(CrossValidation.assignByGroup(group, 3, 42)).containsExactly(fold);
        for (int a = 0; a < group.length; a++) {
            for (int b = 0; b < group.length; b++) {
                if (group[a].equals(group[b])) {
                    assertThat(fold[a]).as("items of %s", group[a]).isEqualTo(fold[b]);
                }
            }
        }
        int[] counts = new int[3];
        Arrays.stream(fold).forEach(f -> counts[f]++);
        // largest first to the emptiest fold: 30 | 20 | 20, then 10 -> second, 10 -> third, 5 -> first, 5 -> second
        assertThat(counts).containsExactlyInAnyOrder(35, 35, 30);
        assertThatThrownBy(() -> CrossValidation.assignByGroup(new String[]{"a", "a", "b"}, 3, 1))
                .hasMessage("grouped folds need between 2 and the number of groups (2) folds, got 3");
    }

    @Test
    void noExampleIsPredictedByAModelThatTrainedOnIt() {
        List<Example> examples = Synthetic.examples(80, 5);
        HashingEmbedder embedder = new HashingEmbedder();
        float[][] e = Trainer.embedAll(embedder, examples.stream().map(Example::prompt).toList(), n -> { });
        int[] fold = CrossValidation.assign(examples.size(), 4, 7);
        Trainer trainer = new Trainer(embedder, TrainerTest.SMALL, TrainerTest.CLOCK);
        CrossValidation.Result cv = CrossValidation.run(trainer, examples, e, fold, 4, new Trainer.Source("synthetic", null), f -> { });
        for (int f = 0; f < 4; f++) {
            LearnedModel m = cv.models().get(f);
            int[] held = CrossValidation.members(fold, f);
            assertThat(m.provenance().examples()).isEqualTo(examples.size() - held.length);
            // the fold model's recorded prompts are exactly the other folds' embeddings
            Set<String> trained = new HashSet<>();
            for (int i = 0; i < m.index().size(); i++) {
                trained.add(Arrays.toString(m.index().vector(i)));
            }
            for (int i : held) {
                assertThat(trained).doesNotContain(Arrays.toString(e[i]));
                assertThat(cv.predictions().get(i).fold()).isEqualTo(f);
            }
        }
    }

    @Test
    void labelledItemsAreDrawnPerGroupAndExamplesOfNoFoldTrainEveryModel() {
        String[] group = new String[40];
        for (int i = 0; i < group.length; i++) {
            group[i] = i < 30 ? "big" : "small";
        }
        int[] draw = CrossValidation.labelledOfEachGroup(group, 6, 42);
        assertThat(CrossValidation.labelledOfEachGroup(group, 6, 42)).containsExactly(draw);
        for (int d = 1; d <= 2; d++) {
            int which = d;
            assertThat(IntStream.range(0, 30).filter(i -> draw[i] == which).count()).isEqualTo(6);
            assertThat(IntStream.range(30, 40).filter(i -> draw[i] == which).count())
                    .as("two draws of at most half a group").isEqualTo(5);
        }

        List<Example> examples = Synthetic.examples(80, 5);
        HashingEmbedder embedder = new HashingEmbedder();
        float[][] e = Trainer.embedAll(embedder, examples.stream().map(Example::prompt).toList(), n -> { });
        int[] fold = CrossValidation.assign(examples.size(), 4, 7);
        fold[0] = -1;
        fold[1] = -1;
        CrossValidation.Result cv = CrossValidation.run(new Trainer(embedder, TrainerTest.SMALL, TrainerTest.CLOCK), examples, e, fold, 4,
                new Trainer.Source("synthetic", null), f -> { });
        for (int f = 0; f < 4; f++) {
            LearnedModel m = cv.models().get(f);
            assertThat(m.provenance().examples()).isEqualTo(examples.size() - CrossValidation.members(fold, f).length);
            Set<String> trained = new HashSet<>();
            for (int i = 0; i < m.index().size(); i++) {
                trained.add(Arrays.toString(m.index().vector(i)));
            }
            assertThat(trained).contains(Arrays.toString(e[0]), Arrays.toString(e[1]));
        }
        assertThat(cv.predictions().get(0)).isNull();
        assertThat(cv.predictions().get(2)).isNotNull();
    }

    @Test
    void neighboursFoundOnceGiveTheSamePredictionsAsAFreshSearch() {
        List<Example> examples = Synthetic.examples(90, 6);
        HashingEmbedder embedder = new HashingEmbedder();
        float[][] e = Trainer.embedAll(embedder, examples.stream().map(Example::prompt).toList(), n -> { });
        int[] fold = CrossValidation.assign(examples.size(), 3, 1);
        Trainer trainer = new Trainer(embedder, TrainerTest.SMALL, TrainerTest.CLOCK);
        CrossValidation.Result cv = CrossValidation.run(trainer, examples, e, fold, 3, new Trainer.Source("s", null), f -> { });
        for (int f = 0; f < 3; f++) {
            // retrain the fold from scratch, searching neighbours the ordinary way
            List<Example> train = new java.util.ArrayList<>();
            List<float[]> te = new java.util.ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] != f) {
                    train.add(examples.get(i));
                    te.add(e[i]);
                }
            }
            LearnedModel fresh = trainer.train(train, te.toArray(float[][]::new), new Trainer.Source("s", null));
            for (int i : CrossValidation.members(fold, f)) {
                var expected = fresh.predictQuality(examples.get(i).prompt(), e[i]);
                var got = cv.predictions().get(i).quality();
                for (String m : expected.keySet()) {
                    assertThat(got.get(m)).isCloseTo(expected.get(m), within(1e-9));
                }
            }
        }
    }
}
