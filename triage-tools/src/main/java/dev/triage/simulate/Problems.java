package dev.triage.simulate;

import java.util.ArrayList;
import java.util.List;

/** The problems found so far in a dataset; a file with many bad lines is reported up to {@link #LIMIT}. */
final class Problems {

    static final int LIMIT = 20;

    private final List<String> messages = new ArrayList<>();
    private int found;

    void add(String where, String what) {
        found++;
        if (messages.size() < LIMIT) {
            messages.add(where + ": " + what);
        }
    }

    /** How many problems were found, including those beyond the limit. */
    int found() {
        return found;
    }

    /** True once a problem beyond the limit was found: reading on would only add noise. */
    boolean overflowed() {
        return found > LIMIT;
    }

    void throwIfAny() {
        if (found > 0) {
            throw new DatasetException(messages, overflowed());
        }
    }
}
