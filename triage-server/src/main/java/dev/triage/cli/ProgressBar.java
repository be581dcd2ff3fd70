package dev.triage.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr: a one-line bar redrawn in place when stderr is a terminal, else a plain line each time
 * another tenth is done or {@value #QUIET_SECONDS} s have passed since the last one (logs and CI see a long run
 * advance without a screenful of carriage returns). Thread-safe: training reports progress from its embedding workers.
 */
final class ProgressBar {

    static final int QUIET_SECONDS = 5;

    private final PrintStream err;
    private final String label;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private String last = ""; // guarded by this
    private int lastTenth = -1; // guarded by this
    private long lastLineAt; // guarded by this

    /** @param label what plain lines start with, e.g. {@code triage simulate} */
    ProgressBar(PrintStream err, String label) {
        this(err, label, StderrTerminal.detect());
    }

    ProgressBar(PrintStream err, String label, boolean terminal) {
        this(err, label, terminal, System::nanoTime);
    }

    ProgressBar(PrintStream err, String label, boolean terminal, LongSupplier nanoTime) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** Whether the bar is drawn (stderr is a terminal). */
    boolean terminal() {
        return terminal;
    }

    synchronized void update(String what, double fraction) {
        if (!terminal) {
            plainLine(what, fraction);
            return;
        }
        int width = 30;
        int filled = (int) Math.round(fraction * width);
        String line = String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %s", "#".repeat(filled), " ".repeat(width - filled), 100 * fraction, what);
        if (!line.equals(last)) {
            err.print(line + " ".repeat(Math.max(0, last.length() - line.length())));
            err.flush();
            last = line;
        }
    }

    /** A line when the tenth changes (a new phase starting over at 0 included) or after a quiet spell. */
    private void plainLine(String what, double fraction) {
        int tenth = (int) Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
        long now = nanoTime.getAsLong();
        boolean quietTooLong = lastTenth >= 0 && now - lastLineAt >= QUIET_SECONDS * 1_000_000_000L;
        if (tenth == lastTenth && !quietTooLong) {
            return;
        }
        String line = String.format(Locale.ROOT, "%s: %3.0f%% %s", label, 100 * fraction, what);
        if (line.equals(last)) {
            return;
        }
        err.println(line);
        err.flush();
        last = line;
        lastTenth = tenth;
        lastLineAt = now;
    }

    synchronized void clear() {
        if (terminal && !last.isEmpty()) {
            err.print("\r" + " ".repeat(last.length()) + "\r");
            err.flush();
            last = "";
        }
    }
}
