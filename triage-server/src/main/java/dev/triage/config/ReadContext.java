package dev.triage.config;

import dev.triage.provider.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** One reading of one file: the environment to substitute and every problem found so far. */
final class ReadContext {

    private final String source;
    private final EnvSubstitution env;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();

    ReadContext(String source, EnvSubstitution env) {
        this.source = source;
        this.env = env;
    }

    void error(Node at, String path, String message) {
        Mark mark = at == null ? null : at.getStartMark().orElse(null);
        errors.add(new ConfigError(source, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                path, Secrets.redact(message)));
    }

    /** Something that loads but is likely a mistake, e.g. a route naming a model its vendor retired. */
    void warn(Node at, String path, String message) {
        Mark mark = at == null ? null : at.getStartMark().orElse(null);
        warnings.add(new ConfigError(source, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                path, Secrets.redact(message)));
    }

    /** The warnings in file order. */
    List<ConfigError> warnings() {
        return warnings.stream().sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column)).toList();
    }

    /** The 1-based line a node starts on; 0 when unknown. */
    static int line(Node at) {
        return at == null ? 0 : at.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** The 1-based column a node starts at; 0 when unknown. */
    static int column(Node at) {
        return at == null ? 0 : at.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
    }

    boolean failed() {
        return !errors.isEmpty();
    }

    /** The errors in file order (the sort is stable, so errors at one place keep the order found). */
    List<ConfigError> errors() {
        return errors.stream().sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column)).toList();
    }

    EnvSubstitution.Result substitute(ScalarNode scalar) {
        return env.apply(scalar.getValue());
    }

    /**
     * A scalar's text with {@code ${ENV}} substituted; empty when the node is absent or YAML null,
     * or when it cannot be read (then the problem is recorded). {@code expected} names the wanted
     * type for the error, e.g. "an integer".
     */
    Optional<String> text(Node value, String path, String expected) {
        if (value == null || isNull(value)) {
            return Optional.empty();
        }
        if (!(value instanceof ScalarNode scalar)) {
            error(value, path, "expected " + expected + ", got " + describe(value));
            return Optional.empty();
        }
        return switch (substitute(scalar)) {
            case EnvSubstitution.Result.Value v -> Optional.of(v.text());
            case EnvSubstitution.Result.Unset u -> {
                error(value, path, unsetMessage(u));
                yield Optional.empty();
            }
            case EnvSubstitution.Result.Malformed m -> {
                error(value, path, m.reason());
                yield Optional.empty();
            }
        };
    }

    static String unsetMessage(EnvSubstitution.Result.Unset unset) {
        String name = unset.names().get(0);
        String others = unset.names().size() > 1 ? " (nor " + String.join(", ", unset.names().subList(1, unset.names().size())) + ")" : "";
        return "environment variable " + name + " is not set" + others + "; set it or write ${" + name + ":-default}";
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s -> "'" + s.getValue() + "'";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
