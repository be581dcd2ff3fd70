package dev.triage.analysis;

/**
 * The shape of a message: how long it is, whether it holds code, lists, numbers or arithmetic, and
 * whether it reads as a question. Measured in one pass over its lines and one over its characters,
 * which for a message of over {@value #LONG} characters reads only the first and last
 * {@value #WINDOW} (see {@link #LONG}).
 *
 * @param chars         length in UTF-16 units
 * @param words         Latin-script words (runs of letters or digits)
 * @param cjk           CJK ideographs, kana and hangul (scripts written without spaces)
 * @param lines         lines with any text
 * @param codeFences    Markdown fences opening a block that is not data ({@code ```json}, {@code ```text} are data)
 * @param codeLines     lines that look like source code (end in {@code ; { }}, start with {@code def}, {@code import}, …)
 * @param listLines     bullet or numbered lines in the instruction windows (requirements, not a document's body)
 * @param numbers       runs of digits (a decimal point joins them)
 * @param arithmetic    an operator between numbers ({@code 3 + 4}, {@code x^2}, {@code = 12}) or LaTeX math
 * @param question      the message ends with a question mark (or 吗/呢)
 * @param quoted        the message quotes something ("…", “…”, 「…」, '…')
 * @param opening       index of the first non-blank character
 * @param leadEnd       where the opening instruction ends: after the first blank line or the first line
 *                      ending in a colon ("Summarise this:"), or -1 when the message is one block
 * @param lastParagraph where the last paragraph (after the last blank line) starts, or -1
 * @param sentences     sentences, counted by their end marks (". ", "? ", "。"), plus an unterminated last one
 */
record TextShape(int chars, int words, int cjk, int lines, int codeFences, int codeLines, int listLines, int numbers,
                 int arithmetic, boolean question, boolean quoted, int opening, int leadEnd, int lastParagraph,
                 int sentences) {

    /** Where instructions sit in a long message: its first and last this-many characters. */
    static final int WINDOW = 800;

    static final TextShape EMPTY = new TextShape(0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, 0, -1, -1, 0);

    /** Length in word-equivalents: a CJK character carries about half a word. */
    int units() {
        return words + (cjk + 1) / 2;
    }

    /** A single short line: no code, no list, at most 20 word-equivalents. */
    boolean short_() {
        return units() <= 20 && lines <= 2 && codeFences == 0 && codeLines == 0 && listLines == 0;
    }

    /**
     * Past this length only the first and last {@value #WINDOW} characters are read character by
     * character (words, numbers, arithmetic, sentences); lines, quotes and paragraph breaks are still
     * found in the whole message. Word counts matter only up to a few dozen, so when the two windows
     * hold 40 word-equivalents or fewer the whole message is read after all.
     */
    static final int LONG = 3 * 1024;

    static TextShape of(String s) {
        int n = s.length();
        Content content = new Content(s);
        if (n <= LONG) {
            content.read(0, n);
        } else {
            content.read(0, WINDOW);
            content.read(n - WINDOW, n);
            if (content.units() <= 40) {
                content = new Content(s);
                content.read(0, n);
            } else {
                content.readQuotes(WINDOW, n - WINDOW);
            }
        }
        int lines = 0;
        int fences = 0;
        int codeLines = 0;
        int listLines = 0;
        int opening = -1;
        int lastVisible = -1;
        boolean inFence = false;
        boolean inDataFence = false;
        boolean blankSeen = false;
        int leadEnd = -1;
        int lastParagraph = -1;
        for (int lineStart = 0; ; ) {
            int end = s.indexOf('\n', lineStart);
            if (end < 0) {
                end = n;
            }
            int first = lineStart;
            while (first < end && Character.isWhitespace(s.charAt(first))) {
                first++;
            }
            if (first == end) {
                blankSeen = lines > 0;
            } else {
                int last = end - 1;
                while (Character.isWhitespace(s.charAt(last))) {
                    last--;
                }
                if (blankSeen) {
                    blankSeen = false;
                    lastParagraph = lineStart;
                    if (leadEnd < 0) {
                        leadEnd = lineStart;
                    }
                }
                if (opening < 0) {
                    opening = first;
                }
                lastVisible = last;
                if (leadEnd < 0 && (s.charAt(last) == ':' || s.charAt(last) == '：')) {
                    leadEnd = Math.min(end + 1, n);
                }
                lines++;
                int kind = lineKind(s, first, last + 1);
                if (kind == CODE_FENCE || kind == DATA_FENCE) {
                    if (!inFence && kind == CODE_FENCE) {
                        fences++;
                    }
                    inDataFence = !inFence && kind == DATA_FENCE;
                    inFence = !inFence;
                } else if (kind == CODE && !inDataFence) {
                    codeLines++;
                } else if (kind == LIST_ITEM && (lineStart < WINDOW || lineStart >= n - WINDOW)) {
                    listLines++;
                }
            }
            if (end == n) {
                break;
            }
            lineStart = end + 1;
        }
        boolean question = false;
        if (lastVisible >= 0) {
            char last = s.charAt(lastVisible);
            question = last == '?' || last == '？' || last == '吗' || last == '呢';
        }
        return new TextShape(n, content.words, content.cjk, lines, fences, codeLines, listLines, content.numbers,
                content.arithmetic, question, content.quoted || content.singleQuotes >= 2, Math.max(opening, 0),
                leadEnd, lastParagraph, content.sentences + (content.openSentence ? 1 : 0));
    }

    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte BLANK = 3;
    private static final byte NEWLINE = 4;
    /** Classes of the ASCII characters with a fast path in {@link Content#read}; 0 for the rest. */
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = c == '\n' ? NEWLINE : Character.isWhitespace(c) ? BLANK : c >= '0' && c <= '9' ? DIGIT
                    : c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ? LETTER : 0;
        }
    }

    /** Counters read character by character: words, numbers, arithmetic, quotes and sentences. */
    private static final class Content {

        private final String s;
        int words;
        int cjk;
        int numbers;
        int arithmetic;
        boolean quoted;
        int singleQuotes;
        int sentences;
        boolean openSentence;   // text seen since the last end mark
        private boolean inWord;
        private boolean inNumber;
        private int lastDigitEnd = -10; // index just after the last number seen
        private char pendingOp;         // an operator seen since that number

        Content(String s) {
            this.s = s;
        }

        int units() {
            return words + (cjk + 1) / 2;
        }

        /** Reads {@code s[from, to)}; a range starts outside any word or number. */
        void read(int from, int to) {
            String s = this.s;
            int n = s.length();
            inWord = false;
            inNumber = false;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                int kind = c < 128 ? ASCII[c] : 0;
                if (kind == LETTER) {
                    openSentence = true;
                    inNumber = false;
                    if (!inWord) {
                        words++;
                        inWord = true;
                    }
                    continue;
                }
                if (kind == BLANK || kind == NEWLINE) {
                    inNumber = false;
                    inWord = false;
                    continue;
                }
                if (isEndMark(c)) {
                    boolean cjkMark = c > 127;
                    boolean atEnd = i + 1 >= n || Character.isWhitespace(s.charAt(i + 1)) || cjkMark;
                    if (atEnd && openSentence && (i + 1 >= n || !isEndMark(s.charAt(i + 1)))) {
                        sentences++;
                        openSentence = false;
                    }
                } else if (!Character.isWhitespace(c)) {
                    openSentence = true;
                }
                if (kind == DIGIT) {
                    if (!inNumber) {
                        numbers++;
                        if (pendingOp != 0 && i - lastDigitEnd <= 3) {
                            arithmetic++;
                        }
                    }
                    inNumber = true;
                    inWord = true;
                    pendingOp = 0;
                    lastDigitEnd = i + 1;
                    continue;
                }
                if (c == '.' && inNumber && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
                    continue;
                }
                inNumber = false;
                if (PhraseMatcher.isWordChar(c)) {
                    if (!inWord) {
                        words++;
                    }
                    inWord = true;
                    continue;
                }
                inWord = false;
                if (c >= 0x2E80 && Character.isLetter(c)) {
                    cjk++;
                } else if (c == '+' || c == '*' || c == '^' || c == '=' || c == '×' || c == '÷'
                        || (c == '-' || c == '/') && i > 0 && s.charAt(i - 1) == ' ' && i + 1 < n && s.charAt(i + 1) == ' ') {
                    pendingOp = c;
                } else if (c == '\\' && (s.startsWith("frac", i + 1) || s.startsWith("sqrt", i + 1)
                        || s.startsWith("int", i + 1) || s.startsWith("sum", i + 1))) {
                    arithmetic++;
                } else if (c == '"' || c == '“' || c == '「' || c == '«') {
                    quoted = true;
                } else if (c == '\'' || c == '‘') {
                    singleQuotes++;
                }
            }
        }

        /** Only the quote marks of {@code s[from, to)}, for the middle of a long message. */
        void readQuotes(int from, int to) {
            quoted = quoted || s.indexOf('"', from, to) >= 0 || s.indexOf('“', from, to) >= 0
                    || s.indexOf('「', from, to) >= 0 || s.indexOf('«', from, to) >= 0;
            for (char mark : new char[] {'\'', '‘'}) {
                for (int i = s.indexOf(mark, from, to); i >= 0 && singleQuotes < 2; i = s.indexOf(mark, i + 1, to)) {
                    singleQuotes++;
                }
            }
        }
    }

    private static boolean isEndMark(char c) {
        return c == '.' || c == '?' || c == '!' || c == '。' || c == '？' || c == '！';
    }

    private static final int PROSE = 0;
    private static final int CODE = 1;
    private static final int LIST_ITEM = 2;
    private static final int CODE_FENCE = 3;
    private static final int DATA_FENCE = 4;

    private static int lineKind(String s, int from, int to) {
        int a = from;
        while (a < to && Character.isWhitespace(s.charAt(a))) {
            a++;
        }
        int b = to;
        while (b > a && Character.isWhitespace(s.charAt(b - 1))) {
            b--;
        }
        if (a >= b) {
            return PROSE;
        }
        if (s.startsWith("```", a)) {
            return isDataTag(s, a + 3, b) ? DATA_FENCE : CODE_FENCE;
        }
        char first = s.charAt(a);
        char end = s.charAt(b - 1);
        if ((first == '-' || first == '*' || first == '•') && a + 1 < b && s.charAt(a + 1) == ' ') {
            return LIST_ITEM;
        }
        if (Character.isDigit(first)) {
            int k = a;
            while (k < b && Character.isDigit(s.charAt(k))) {
                k++;
            }
            if (k < b && k - a <= 2 && (s.charAt(k) == '.' || s.charAt(k) == ')') && k + 1 < b && s.charAt(k + 1) == ' ') {
                return LIST_ITEM;
            }
        }
        if (end == ';' || end == '{' || end == '}' && b - a <= 3) {
            return CODE;
        }
        if (end == ')' && s.startsWith("at ", a) && s.indexOf('(', a) < b) {
            return CODE; // a stack frame: "at com.example.Foo.bar(Foo.java:42)"
        }
        if (first < 128 && CODE_START_FIRST[first]) {
            for (String start : CODE_STARTS) {
                if (s.startsWith(start, a)) {
                    return CODE;
                }
            }
        }
        return PROSE;
    }

    // Case-sensitive on purpose: "Return a JSON object" is prose, "return x" is code.
    private static final String[] CODE_STARTS = {"def ", "import ", "#include", "public ", "private ",
            "protected ", "function ", "const ", "var ", "return ", "class ", "SELECT ", "File \"", "for (", "if (",
            "while (", "fn ", "func ", "package ", "#!/", "//", "print(", "console."};
    private static final boolean[] CODE_START_FIRST = new boolean[128];

    static {
        for (String start : CODE_STARTS) {
            CODE_START_FIRST[start.charAt(0)] = true;
        }
    }

    /** A fence tagged as data ({@code ```json}, {@code ```text}) holds material, not code. */
    private static boolean isDataTag(String s, int from, int to) {
        for (String tag : DATA_TAGS) {
            if (to - from >= tag.length() && s.regionMatches(true, from, tag, 0, tag.length())
                    && (from + tag.length() == to || Character.isWhitespace(s.charAt(from + tag.length())))) {
                return true;
            }
        }
        return false;
    }

    private static final String[] DATA_TAGS = {"json", "text", "txt", "markdown", "md", "csv", "plaintext", "log"};
}
