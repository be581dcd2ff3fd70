package dev.triage.cli;

import dev.triage.app.DefaultConfig;
import dev.triage.app.OnDemandEmbedder;
import dev.triage.app.TriageApp;
import dev.triage.config.ConfigException;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option the commands share: the file if given, else the built-in default for the environment. */
final class ConfigOption {

    /** Where commands get the embedder of learned routes; tests put a deterministic one here. */
    static Supplier<OnDemandEmbedder> embedders = TriageApp::embedder;

    @Option(names = "--config", description = "YAML config file (default: built-in defaults from the environment)")
    Path file;

    /**
     * The config, or null after printing why it could not be loaded (the command then exits 2); its warnings (routes on
     * retired or deprecated models) go to {@code err} too. Learned routes predict with {@code embedder}, which the
     * caller closes.
     */
    TriageConfig loadOrReport(Map<String, String> env, PrintStream err, OnDemandEmbedder embedder) {
        try {
            TriageConfig config = file != null ? ConfigLoader.load(file, env, embedder) : DefaultConfig.fromEnvironment(env);
            config.warnings().forEach(w -> err.println("warning: " + w));
            return config;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return null;
        }
    }

    boolean given() {
        return file != null;
    }
}
