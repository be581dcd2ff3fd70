package dev.triage.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

/** A config file's text read as {@code triage.yaml}, for tests of what the loader accepts and what it says when it refuses. */
final class TriageYaml {

    private TriageYaml() {
    }

    static TriageConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    static TriageConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "triage.yaml", env);
    }

    /** What the loader says when it refuses {@code yaml}. */
    static String errors(String yaml) {
        return errors(yaml, Map.of());
    }

    /** What the loader says when it refuses {@code yaml} with these environment variables. */
    static String errors(String yaml, Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml, env)).getMessage();
    }
}
