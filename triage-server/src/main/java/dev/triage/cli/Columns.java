package dev.triage.cli;

/** Text for a terminal of {@value #WIDTH} columns: words wrapped under a hanging indent, never cut. */
final class Columns {

    /** The widest line a command's table or notes may print. */
    static final int WIDTH = 100;

    private Columns() {
    }

    /**
     * {@code text} as lines of at most {@link #WIDTH} columns, the first starting with {@code first}, the others with
     * {@code rest}; a word longer than a line stays whole on a line of its own.
     */
    static String wrap(String first, String rest, String text) {
        StringBuilder out = new StringBuilder(first);
        int column = first.length();
        boolean lineEmpty = true;
        for (String word : text.trim().split("\\s+")) {
            if (!lineEmpty && column + 1 + word.length() > WIDTH) {
                out.append('\n').append(rest);
                column = rest.length();
                lineEmpty = true;
            }
            if (!lineEmpty) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            lineEmpty = false;
        }
        return out.append('\n').toString();
    }
}
