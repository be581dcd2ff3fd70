package dev.triage.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextShapeTest {

    @Test
    void aShortQuestionIsOneShortSentence() {
        TextShape s = TextShape.of("What's the capital of France?");

        assertThat(s.question()).isTrue();
        assertThat(s.sentences()).isEqualTo(1);
        assertThat(s.words()).isEqualTo(6);
        assertThat(s.short_()).isTrue();
    }

    @Test
    void sentencesAreCountedByEndMarksNotDecimalPoints() {
        assertThat(TextShape.of("It costs 3.50 dollars. Is that cheap?").sentences()).isEqualTo(2);
        assertThat(TextShape.of("Really?! No way").sentences()).isEqualTo(2);
        assertThat(TextShape.of("光速是多少？简单回答。").sentences()).isEqualTo(2);
    }

    @Test
    void cjkCharactersCountAsHalfAWord() {
        TextShape s = TextShape.of("法国的首都是哪里？");

        assertThat(s.cjk()).isEqualTo(8);
        assertThat(s.units()).isEqualTo(4);
        assertThat(s.question()).isTrue();
    }

    @Test
    void codeFencesCountButDataFencesDoNot() {
        assertThat(TextShape.of("Fix this:\n```python\nx = 1\n```").codeFences()).isEqualTo(1);
        assertThat(TextShape.of("Fix this:\n```\nx = 1\n```").codeFences()).isEqualTo(1);
        assertThat(TextShape.of("Return:\n```json\n{\"a\": 1;\n}\n```").codeFences()).isZero();
        assertThat(TextShape.of("Return:\n```json\n{\"a\": 1;\n}\n```").codeLines()).isZero();
    }

    @Test
    void unfencedSourceLinesAreRecognised() {
        TextShape s = TextShape.of("int i = 0;\nwhile (i < 10) {\n    i++;\n}\nWhy does it hang?");

        assertThat(s.codeLines()).isEqualTo(4);
        assertThat(s.lines()).isEqualTo(5);
    }

    @Test
    void proseStartingWithCodeLikeWordsIsNotCode() {
        assertThat(TextShape.of("Return a JSON object.\nLet me know.\nFrom the text below.").codeLines()).isZero();
    }

    @Test
    void theLeadEndsAtTheFirstColonLineOrBlankLine() {
        String colon = "Summarise this:\nThe council met.\nIt agreed.";
        String blank = "Please help.\n\nThe council met.\n\nShorter please.";

        assertThat(TextShape.of(colon).leadEnd()).isEqualTo("Summarise this:\n".length());
        assertThat(TextShape.of(colon).lastParagraph()).isEqualTo(-1);
        assertThat(TextShape.of(blank).leadEnd()).isEqualTo("Please help.\n\n".length());
        assertThat(TextShape.of(blank).lastParagraph()).isEqualTo(blank.indexOf("Shorter"));
        assertThat(TextShape.of("One block only.").leadEnd()).isEqualTo(-1);
    }

    @Test
    void listItemsAreCountedAsRequirements() {
        assertThat(TextShape.of("Build it:\n- fast\n- safe\n1. cheap\n2) small").listLines()).isEqualTo(4);
    }

    @Test
    void arithmeticNeedsAnOperatorBetweenNumbers() {
        assertThat(TextShape.of("What is 12 * 7 + 3?").arithmetic()).isEqualTo(2);
        assertThat(TextShape.of("Solve 3x + 5 = 20").arithmetic()).isEqualTo(1);
        assertThat(TextShape.of("Signed 2024-05-01, ref 12/34").arithmetic()).isZero();
        assertThat(TextShape.of("Compute \\frac{1}{2}").arithmetic()).isEqualTo(1);
    }

    @Test
    void quotesAreNoticed() {
        assertThat(TextShape.of("Translate \"hello\"").quoted()).isTrue();
        assertThat(TextShape.of("What's 'I miss you' in Russian?").quoted()).isTrue();
        assertThat(TextShape.of("It's fine").quoted()).isFalse();
    }

    @Test
    void aLongMessageIsReadWordByWordOnlyInItsInstructionWindows() {
        String material = "The board met on 3 May. Revenue was 12 + 30 = 42 million.\n".repeat(80);
        String text = "Summarise the minutes below:\n\n" + material + "\nKeep it \"short\".";
        TextShape s = TextShape.of(text);

        assertThat(text.length()).isGreaterThan(TextShape.LONG);
        assertThat(s.chars()).isEqualTo(text.length());
        assertThat(s.lines()).isEqualTo(82);         // lines, paragraphs and quotes: the whole message
        assertThat(s.leadEnd()).isEqualTo("Summarise the minutes below:\n".length());
        assertThat(s.lastParagraph()).isEqualTo(text.indexOf("Keep"));
        assertThat(s.quoted()).isTrue();
        assertThat(s.question()).isFalse();
        // words and arithmetic: the first and last 800 characters only (about 13 lines of material each)
        assertThat(s.words()).isEqualTo(TextShape.of(text.substring(0, TextShape.WINDOW)).words()
                + TextShape.of(text.substring(text.length() - TextShape.WINDOW)).words());
        assertThat(s.arithmetic()).isEqualTo(54); // of the material's 160
    }

    @Test
    void aLongMessageWithFewWordsIsReadWhole() {
        String text = "Which of these numbers is prime?\n" + "4 096 ".repeat(600) + "\n7";
        TextShape s = TextShape.of(text);

        assertThat(text.length()).isGreaterThan(TextShape.LONG);
        assertThat(s.numbers()).isEqualTo(1_201);
        assertThat(s.words()).isEqualTo(6);
    }

    @Test
    void quotesInTheMiddleOfALongMessageAreNoticed() {
        String filler = "Lorem ipsum dolor sit amet consectetur. ".repeat(40);
        assertThat(TextShape.of(filler + "He said “no”. " + filler).quoted()).isTrue();
        assertThat(TextShape.of(filler + "It's John's. " + filler).quoted()).isTrue();
        assertThat(TextShape.of(filler + "It is fine. " + filler).quoted()).isFalse();
    }
}
