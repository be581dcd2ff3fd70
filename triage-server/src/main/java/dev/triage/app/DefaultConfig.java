package dev.triage.app;

import dev.triage.config.ConfigLoader;
import dev.triage.config.ProviderConfig;
import dev.triage.config.TriageConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The configuration {@code triage serve} runs with when no config file is given: a SQLite ledger under
 * {@code ./triage-data/}, and a provider for each of OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY
 * that is set, and the routes {@code auto}, {@code task}, {@code tiered} and {@code cascade}. With no key set,
 * the same config is served by simulated providers (offline demo).
 */
public final class DefaultConfig {

    private DefaultConfig() {
    }

    /** Whether the default config for this environment is the offline demo. */
    public static boolean isOfflineDemo(Map<String, String> env) {
        return blank(env.get("OPENAI_API_KEY")) && blank(env.get("ANTHROPIC_API_KEY")) && blank(env.get("GEMINI_API_KEY"));
    }

    public static TriageConfig fromEnvironment(Map<String, String> env) {
        if (isOfflineDemo(env)) {
            // The bundled config's providers turned simulated: every model and route of the real default works offline.
            return ConfigLoader.builtInSimulated(new ProviderConfig.Simulation(Duration.ofMillis(150), 200, 64, 0.0));
        }
        return ConfigLoader.builtInDefault(env);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
