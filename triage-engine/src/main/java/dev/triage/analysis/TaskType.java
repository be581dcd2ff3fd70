package dev.triage.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a request asks for. The built-in types are the seed's plus a few common ones; the set is
 * open: a config may route any other name a caller sends as a hint.
 */
public record TaskType(String name) {

    public static final TaskType CLASSIFICATION = new TaskType("classification");
    public static final TaskType SUMMARIZATION = new TaskType("summarization");
    public static final TaskType CODE_GENERATION = new TaskType("code_generation");
    public static final TaskType REASONING = new TaskType("reasoning");
    public static final TaskType FAST_RESPONSE = new TaskType("fast_response");
    public static final TaskType CHAT = new TaskType("chat");
    public static final TaskType EXTRACTION = new TaskType("extraction");
    public static final TaskType TRANSLATION = new TaskType("translation");

    /** The types the analyser can infer. */
    public static final List<TaskType> BUILT_IN = List.of(CLASSIFICATION, SUMMARIZATION, CODE_GENERATION, REASONING,
            FAST_RESPONSE, CHAT, EXTRACTION, TRANSLATION);

    public TaskType {
        Objects.requireNonNull(name, "name");
        name = name.trim().toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("a task type is a lower-case word of letters, digits and '_': '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
