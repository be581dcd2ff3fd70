package dev.triage.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal a progress bar can redraw. {@code System.console()} alone does not tell: it
 * describes stdin and stdout, and from Java 22 it is non-null even when both are redirected.
 */
final class StderrTerminal {

    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private StderrTerminal() {
    }

    static boolean detect() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false; // a terminal that cannot move the cursor back: a bar would pile up
        }
        if (Files.isSymbolicLink(STDERR_LINK)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(STDERR_LINK).toString());
            } catch (IOException | SecurityException e) {
                return false;
            }
        }
        // No /proc (macOS, Windows): the console, if the runtime says it is a terminal.
        Console console = System.console();
        return console != null && consoleIsTerminal(console);
    }

    /** Whether a file descriptor's link target (Linux {@code /proc/self/fd/N}) is a terminal device. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /**
     * {@code Console.isTerminal()} where the runtime has it (Java 22+); the language level is 21, so it is looked up.
     * On Java 21 a non-null console already means an interactive one.
     */
    private static boolean consoleIsTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
