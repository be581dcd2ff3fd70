package dev.triage.cli;

import dev.triage.app.DefaultConfig;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option the commands share: the file if given, else the built-in default for the environment. */
final class ConfigOption {

    @Option(names = "--config", description = "YAML config file (default: built-in defaults from the environment)")
    Path file;

    /** The config, or null after printing why it could not be loaded (the command then exits 2). */
    TriageConfig loadOrReport(Map<String, String> env, PrintStream err) {
        try {
            return file != null ? ConfigLoader.load(file, env) : DefaultConfig.fromEnvironment(env);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return null;
        }
    }

    boolean given() {
        return file != null;
    }
}
