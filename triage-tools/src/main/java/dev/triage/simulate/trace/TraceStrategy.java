package dev.triage.simulate.trace;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The strategies {@code triage simulate --trace} compares. */
public enum TraceStrategy {
    NO_CACHE("no breakpoints: every prompt token at the input price"),
    NAIVE("a breakpoint at the end of every prompt"),
    TRIAGE("the gateway's CachePlanner: system, previous prompt, end"),
    HINDSIGHT("breakpoints placed knowing the future, within the rules"),
    ORACLE("lower bound: prefixes cached exactly while reused");

    private final String description;

    TraceStrategy(String description) {
        this.description = description;
    }

    /** The name on the command line and in the output, e.g. {@code no-cache}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /** All of them, in the order they are shown. */
    public static List<TraceStrategy> all() {
        return List.of(values());
    }

    /** The strategy labelled {@code label}. */
    public static TraceStrategy parse(String label) {
        for (TraceStrategy s : values()) {
            if (s.label().equals(label.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + label.strip() + "' for a trace; known: "
                + String.join(", ", Arrays.stream(values()).map(TraceStrategy::label).toList()));
    }
}
