package dev.triage.config;

/**
 * One problem in a config file.
 *
 * @param source  the file name (or the label given to {@link ConfigLoader#parse})
 * @param line    1-based line, or 0 when the problem has no position (e.g. the file cannot be read)
 * @param column  1-based column, or 0 with {@code line}
 * @param keyPath where in the config, e.g. {@code providers.openai.base_url}; empty for YAML syntax errors
 * @param message what is wrong, never containing a secret
 */
public record ConfigError(String source, int line, int column, String keyPath, String message) {

    /** {@code FILE:LINE:COL: key.path: message}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(source);
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(": ");
        if (!keyPath.isEmpty()) {
            out.append(keyPath).append(": ");
        }
        return out.append(message).toString();
    }
}
