package dev.triage.simulate.trace;

import static dev.triage.simulate.trace.TinyTraces.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixTreeTest {

    /** The token counts of the boundaries on request {@code r}'s path. */
    private static List<Integer> boundaries(PrefixTree tree, int r) {
        return Arrays.stream(tree.path(r)).map(tree::tokens).boxed().toList();
    }

    @Test
    void aPromptsPathHasItsBlockBoundariesAndItsEnd() {
        PrefixTree tree = PrefixTree.of(List.of(at(0, 1300, 1, 2, 3), at(1, 1024, 1, 2)));
        assertThat(boundaries(tree, 0)).containsExactly(512, 1024, 1300);
        assertThat(boundaries(tree, 1)).containsExactly(512, 1024);
        // the second prompt is the first one's first two blocks: the same nodes
        assertThat(tree.path(1)).containsExactly(tree.path(0)[0], tree.path(0)[1]);
    }

    @Test
    void aLaterTurnContainsTheEarlierPromptThoughItsPartialBlockHashesDifferently() {
        // turn 1 ends 276 tokens into block 3 (id 3); turn 2 fills that block (id 30) and goes on
        PrefixTree tree = PrefixTree.of(List.of(at(0, 1300, 1, 2, 3), at(60, 1800, 1, 2, 30, 4), at(120, 2600, 1, 2, 30, 40, 5, 6)));
        assertThat(boundaries(tree, 1)).containsExactly(512, 1024, 1300, 1536, 1800);
        assertThat(tree.path(1)[2]).isEqualTo(tree.path(0)[2]);
        assertThat(boundaries(tree, 2)).containsExactly(512, 1024, 1300, 1536, 1800, 2048, 2560, 2600);
        assertThat(tree.parent(tree.path(1)[3])).isEqualTo(tree.path(0)[2]);
    }

    @Test
    void noContinuationIsInferredWhereTheTraceShowsPromptsDiverging() {
        // after blocks 1, 2 the trace has two different full blocks (30 and 31): another conversation shares
        // them, so the prompt that ended inside the next block is nobody's prefix
        PrefixTree tree = PrefixTree.of(List.of(at(0, 1300, 1, 2, 3), at(60, 1800, 1, 2, 30, 4), at(70, 1600, 1, 2, 31, 5)));
        assertThat(boundaries(tree, 1)).containsExactly(512, 1024, 1536, 1800);
        // nor where two prompts of one length end differently in the same block
        PrefixTree same = PrefixTree.of(List.of(at(0, 1300, 1, 2, 3), at(10, 1300, 1, 2, 4), at(60, 1800, 1, 2, 30, 5)));
        assertThat(boundaries(same, 2)).containsExactly(512, 1024, 1536, 1800);
        // and a prompt without a full block is nobody's prefix: all it shares is nothing
        PrefixTree shortOne = PrefixTree.of(List.of(at(0, 300, 9), at(60, 1800, 1, 2, 30, 5)));
        assertThat(boundaries(shortOne, 1)).containsExactly(512, 1024, 1536, 1800);
    }

    @Test
    void aPromptSentAgainEndsAtTheSameNode() {
        PrefixTree tree = PrefixTree.of(List.of(at(0, 1300, 1, 2, 3), at(5, 1300, 1, 2, 3)));
        assertThat(tree.path(1)).containsExactly(tree.path(0));
    }
}
