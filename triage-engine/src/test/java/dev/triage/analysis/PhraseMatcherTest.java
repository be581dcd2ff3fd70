package dev.triage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhraseMatcherTest {

    private static final PhraseMatcher MATCHER = new PhraseMatcher(List.of(
            Cue.of("hi", 0, 1, null),
            Cue.of("summar*", 1, 1, null),
            Cue.of("翻译", 2, 1, null),
            Cue.of("^is", -1, 0, Cue.Signal.QUESTION),
            Cue.of("step by step", 3, 1, null),
            Cue.of("by", 4, 1, null)));

    private static List<String> found(String text) {
        List<String> hits = new ArrayList<>();
        int opening = 0;
        while (opening < text.length() && Character.isWhitespace(text.charAt(opening))) {
            opening++;
        }
        MATCHER.scan(text, 0, text.length(), opening,
                (cue, quoted) -> hits.add((quoted ? "q:" : "") + MATCHER.cues().get(cue).phrase()));
        return hits;
    }

    @Test
    void latinPhrasesMatchWholeWordsOnly() {
        assertThat(found("this is thin")).isEmpty();
        assertThat(found("Hi there")).containsExactly("hi");
        assertThat(found("oh, hi!")).containsExactly("hi");
    }

    @Test
    void aPrefixCueFindsLongerWordsButNotInsideAWord() {
        assertThat(found("Please summarise it")).containsExactly("summar");
        assertThat(found("SUMMARY:")).containsExactly("summar");
        assertThat(found("unsummarised")).isEmpty();
    }

    @Test
    void cjkPhrasesNeedNoWordBoundaries() {
        assertThat(found("请翻译成英文")).containsExactly("翻译");
    }

    @Test
    void openingCuesCountOnlyAtTheStartOfTheMessage() {
        assertThat(found("  Is Pluto a planet?")).containsExactly("is");
        assertThat(found("Pluto is a planet")).isEmpty();
    }

    @Test
    void overlappingPhrasesAreAllFound() {
        assertThat(found("go step by step")).containsExactly("by", "step by step");
    }

    @Test
    void phrasesInsideQuotesAreMarkedAsQuoted() {
        assertThat(found("Hi, what does \"hi\" mean? and “hi” and 「翻译」"))
                .containsExactly("hi", "q:hi", "q:hi", "q:翻译");
    }

    @Test
    void caseAndTypographicApostrophesAreFolded() {
        PhraseMatcher m = new PhraseMatcher(List.of(Cue.of("what's", 0, 1, null)));
        List<Integer> hits = new ArrayList<>();

        m.scan("WHAT’S up", 0, 9, 0, (cue, quoted) -> hits.add(cue));

        assertThat(hits).containsExactly(0);
    }
}
