package dev.triage.simulate.trace;

/** A trace that cannot be read: one line, {@code file:line: what is wrong} where a line is known. */
public final class TraceException extends RuntimeException {

    TraceException(String message) {
        super(message, null, false, false);
    }
}
