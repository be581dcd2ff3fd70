package dev.triage.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on a terminal; silent when stderr is not one (the command then prints terse
 * lines instead). Thread-safe: training reports progress from its embedding workers.
 */
final class ProgressBar {

    private final PrintStream err;
    private final boolean terminal;
    private String last = "";

    ProgressBar(PrintStream err) {
        this(err, System.console() != null);
    }

    ProgressBar(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether the bar is drawn (stderr is a terminal). */
    boolean terminal() {
        return terminal;
    }

    synchronized void update(String what, double fraction) {
        if (!terminal) {
            return;
        }
        int width = 30;
        int filled = (int) Math.round(fraction * width);
        String line = String.format("\r[%s%s] %3.0f%% %s", "#".repeat(filled), " ".repeat(width - filled), 100 * fraction, what);
        if (!line.equals(last)) {
            err.print(line + " ".repeat(Math.max(0, last.length() - line.length())));
            err.flush();
            last = line;
        }
    }

    synchronized void clear() {
        if (terminal && !last.isEmpty()) {
            err.print("\r" + " ".repeat(last.length()) + "\r");
            err.flush();
            last = "";
        }
    }
}
