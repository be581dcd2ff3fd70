package dev.triage.tokens;

/**
 * Counts the pieces the o200k tokenizer splits a text into before byte-pair encoding, without running
 * its regular expression: letter runs (split before an upper-case letter that follows a lower-case
 * one, as in "camelCase"), each taking one leading space or mark; digit groups of up to three;
 * punctuation runs; newline runs; and space runs. Most English words and code symbols are one token
 * each, so this count times a tokens-per-piece ratio measured on a sample of the same text estimates
 * its token count. CJK characters, which the tokenizer keeps in one long piece and then splits into
 * roughly one token per one or two characters, count three quarters each instead.
 *
 * <p>Whether a piece starts or ends at a position depends only on the two characters before it and
 * the one after it, so the count is a sum over a table indexed by four character classes: no branches
 * and no state but the last three classes, about a nanosecond per character. Counts are in twelfths
 * of a piece, so that long digit runs can count a third per digit.
 */
final class PreTokens {

    private PreTokens() {
    }

    /** Units of {@link #count}: this many make one piece. */
    static final int UNIT = 12;

    // Character classes, three bits each.
    private static final int UPPER = 0;
    private static final int LOWER = 1;
    private static final int CJK = 2;
    private static final int DIGIT = 3;
    private static final int SPACE = 4;
    private static final int NEWLINE = 5;
    private static final int APOSTROPHE = 6;
    private static final int MARK = 7;

    /** The class of every UTF-16 unit: a table, so that the counting loop has no branch and no call. */
    private static final byte[] CLASSES = new byte[65536];
    /** Units at a character, by the classes of (two before, one before, the character, the one after). */
    private static final byte[] UNITS = new byte[8 * 8 * 8 * 8];

    static {
        for (int c = 0; c < CLASSES.length; c++) {
            CLASSES[c] = (byte) classOf((char) c);
        }
        for (int before2 = 0; before2 < 8; before2++) {
            for (int before = 0; before < 8; before++) {
                for (int at = 0; at < 8; at++) {
                    for (int after = 0; after < 8; after++) {
                        UNITS[before2 << 9 | before << 6 | at << 3 | after] = (byte) units(before2, before, at, after);
                    }
                }
            }
        }
    }

    /** Pieces in {@code text[from, to)}, in twelfths, as if the range were the whole text. */
    static int count(String text, int from, int to) {
        if (from >= to) {
            return 0;
        }
        // Before the first character: a class after which it starts a piece of its own, whatever it is.
        int first = CLASSES[text.charAt(from)];
        int before = first == DIGIT ? SPACE : DIGIT;
        int context = before << 6 | before << 3 | first;
        int units = 0;
        for (int i = from + 1; i < to; i++) {
            context = (context << 3 | CLASSES[text.charAt(i)]) & 0xFFF;
            units += UNITS[context];
        }
        return units + UNITS[(context << 3 | SPACE) & 0xFFF];
    }

    private static boolean letter(int c) {
        return c == UPPER || c == LOWER;
    }

    /**
     * What the character {@code at} adds: a word is counted at its first letter, a run of marks or spaces
     * at its last character (only there is it known whether the next word takes it), a CJK character
     * counts its share.
     */
    private static int units(int before2, int before, int at, int after) {
        switch (at) {
            case UPPER, LOWER -> {
                if (before == APOSTROPHE && letter(before2)) {
                    return 0;                     // "don't" is one piece
                }
                if (at == UPPER && (before == LOWER || before == CJK)) {
                    return UNIT;                  // "camelCase" is two
                }
                return letter(before) || before == CJK ? 0 : UNIT;
            }
            case CJK -> {
                return UNIT * 3 / 4;
            }
            case DIGIT -> { // o200k groups digits by three: one piece for the first two, a third for each after
                return before != DIGIT ? UNIT : before2 == DIGIT ? UNIT / 3 : 0;
            }
            case SPACE -> {
                // A space run's last space joins the word or mark after it; the rest is one piece.
                if (after == SPACE || after == NEWLINE) {
                    return 0;
                }
                int rest = before == SPACE ? UNIT : 0;
                return after == DIGIT ? rest + UNIT : rest;
            }
            case NEWLINE -> {
                // Newlines after a mark belong to it ("{\n"); spaces before a newline belong to the newline.
                boolean continues = before == NEWLINE || before == MARK || before == APOSTROPHE
                        || before == SPACE && before2 == NEWLINE;
                return continues ? 0 : UNIT;
            }
            default -> { // a mark, or an apostrophe that is not inside a word
                if (at == APOSTROPHE && letter(before) && letter(after)) {
                    return 0;
                }
                if (after == MARK || after == APOSTROPHE) {
                    return 0;                     // counted at the run's last mark
                }
                if (before == MARK || before == APOSTROPHE && !letter(before2) || before == SPACE) {
                    return UNIT;                  // a run of marks, or " (": a piece of its own
                }
                return letter(after) || after == CJK ? 0 : UNIT; // a lone mark leads the next word
            }
        }
    }

    private static int classOf(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? UPPER : c >= 'a' && c <= 'z' ? LOWER : c >= '0' && c <= '9' ? DIGIT
                    : c == '\n' || c == '\r' ? NEWLINE : c == ' ' || c == '\t' || c == 0x0B || c == 0x0C ? SPACE
                    : c == '\'' ? APOSTROPHE : MARK;
        }
        if (c >= 0x4E00 && c <= 0x9FFF || Character.isSurrogate(c)) {
            return CJK; // ideographs; emoji and other astral characters cost about as much per char
        }
        if (Character.isLetter(c)) {
            if (c >= 0x2E80) {
                return CJK;
            }
            return Character.isUpperCase(c) || Character.isTitleCase(c) ? UPPER : LOWER;
        }
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK) {
            return LOWER;
        }
        if (Character.isDigit(c)) {
            return DIGIT;
        }
        if (c == '\u2028' || c == '\u2029' || c == '\u0085') {
            return NEWLINE;
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c) ? SPACE : MARK;
    }
}
