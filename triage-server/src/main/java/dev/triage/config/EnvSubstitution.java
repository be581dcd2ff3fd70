package dev.triage.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a scalar with environment values.
 * As in the shell, the default applies when the variable is unset or empty; {@code $${} writes a
 * literal {@code ${}.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What a scalar became. */
    sealed interface Result {
        record Value(String text) implements Result {
        }

        /** Variables without a default that are not set, in order of appearance. */
        record Unset(List<String> names) implements Result {
        }

        record Malformed(String reason) implements Result {
        }
    }

    private final Map<String, String> env;

    EnvSubstitution(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Result apply(String raw) {
        if (!raw.contains("${")) {
            return new Result.Value(raw);
        }
        StringBuilder out = new StringBuilder(raw.length());
        List<String> unset = new ArrayList<>();
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (!raw.startsWith("${", i)) {
                out.append(raw.charAt(i++));
                continue;
            }
            int close = raw.indexOf('}', i + 2);
            if (close < 0) {
                return new Result.Malformed("'${' without a closing '}' (write $${ for a literal ${)");
            }
            String body = raw.substring(i + 2, close);
            int sep = body.indexOf(":-");
            String name = sep < 0 ? body : body.substring(0, sep);
            if (!NAME.matcher(name).matches()) {
                return new Result.Malformed("'${" + body + "}' is not a variable reference (expected ${NAME} or ${NAME:-default})");
            }
            String value = env.get(name);
            if (sep >= 0) {
                out.append(value == null || value.isEmpty() ? body.substring(sep + 2) : value);
            } else if (value == null) {
                unset.add(name);
            } else {
                out.append(value);
            }
            i = close + 1;
        }
        return unset.isEmpty() ? new Result.Value(out.toString()) : new Result.Unset(List.copyOf(unset));
    }
}
