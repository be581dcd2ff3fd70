package dev.triage.app;

import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.provider.simulated.SimulatedProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The configuration {@code triage serve} runs with when no config file is given: a SQLite ledger under
 * {@code ./triage-data/}, the bundled config's providers (each enabled when the variable its kind takes
 * its key from is set: {@link #keyVariables()}), and the routes {@code auto}, {@code task}, {@code tiered}
 * and {@code cascade}. With no key set, the same config is served by simulated providers (offline demo).
 */
public final class DefaultConfig {

    private DefaultConfig() {
    }

    /**
     * The environment variables the built-in config's providers read their keys from, as their kinds
     * name them ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY}).
     */
    public static List<String> keyVariables() {
        return ConfigLoader.builtInDefault(Map.of()).providers().values().stream()
                .flatMap(p -> p.kind().apiKeyVariable().stream()).distinct().toList();
    }

    /** Whether the default config for this environment is the offline demo. */
    public static boolean isOfflineDemo(Map<String, String> env) {
        return keyVariables().stream().allMatch(variable -> blank(env.get(variable)));
    }

    public static TriageConfig fromEnvironment(Map<String, String> env) {
        if (isOfflineDemo(env)) {
            // The bundled config's providers turned simulated: every model and route of the real default works offline.
            return ConfigLoader.builtInSimulated(new SimulatedProvider.Settings(Duration.ofMillis(150), 64, 200, 0.0));
        }
        return ConfigLoader.builtInDefault(env);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
