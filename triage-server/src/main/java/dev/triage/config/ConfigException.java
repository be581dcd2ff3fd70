package dev.triage.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot be used. The message lists every error, one per line, in file order. */
public final class ConfigException extends RuntimeException {

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
