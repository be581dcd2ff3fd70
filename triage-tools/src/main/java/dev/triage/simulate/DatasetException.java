package dev.triage.simulate;

import java.util.List;

/**
 * A dataset that cannot be used. Every problem is one line of the message, starting with
 * {@code file:line:} where a line is known; at most {@value Problems#LIMIT} are reported.
 */
public final class DatasetException extends RuntimeException {

    private final List<String> problems;

    DatasetException(List<String> problems, boolean stoppedEarly) {
        super(String.join("\n", problems)
                + (stoppedEarly ? "\n(stopped after " + problems.size() + " problems; there are more)" : ""), null, false, false);
        this.problems = List.copyOf(problems);
    }

    DatasetException(String problem) {
        this(List.of(problem), false);
    }

    /** Each problem found, in file order, as {@code file:line: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
