package dev.triage.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreTokensTest {

    private static double pieces(String text) {
        return (double) PreTokens.count(text, 0, text.length()) / PreTokens.UNIT;
    }

    @Test
    void wordsTakeTheSpaceOrMarkBeforeThem() {
        assertThat(pieces("Hello, world.")).isEqualTo(4);   // Hello | , | ␣world | .
        assertThat(pieces("f(x) and (y)")).isEqualTo(7);    // f | (x | ) | ␣and | ␣( | y | )
    }

    @Test
    void contractionsStayWithTheirWordAndCamelCaseSplits() {
        assertThat(pieces("don't stop")).isEqualTo(2);
        assertThat(pieces("getMinRankIndex")).isEqualTo(4);
        assertThat(pieces("HTTPServer")).isEqualTo(1);
    }

    @Test
    void digitsGoInGroupsOfAboutThree() {
        assertThat(pieces("x = 12345;")).isEqualTo(6);      // x | ␣= | ␣ | 123 | 45 | ;
        assertThat(PreTokens.count("2026", 0, 4)).isEqualTo(PreTokens.UNIT * 5 / 3); // a third per digit after the second (o200k: 202 | 6)
    }

    @Test
    void indentationAndNewlinesArePiecesOfTheirOwn() {
        assertThat(pieces("\n\n    return x;")).isEqualTo(5); // \n\n | ␣␣␣ | ␣return | ␣x | ;
        assertThat(pieces("{\n  a\n}")).isEqualTo(5);         // {\n | ␣ | ␣a | \n | }
    }

    @Test
    void cjkCharactersCountThreeQuartersEach() {
        assertThat(pieces("中文")).isEqualTo(1.5);
    }

    @Test
    void aRangeIsCountedAsIfItWereTheWholeText() {
        String text = "alpha beta gamma";
        assertThat(PreTokens.count(text, 6, text.length())).isEqualTo(PreTokens.count("beta gamma", 0, 10));
    }
}
