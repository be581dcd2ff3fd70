package dev.triage.app;

import dev.triage.config.ConfigLoader;
import dev.triage.config.ProviderConfig;
import dev.triage.config.ResilienceConfig;
import dev.triage.config.ServerConfig;
import dev.triage.config.StorageConfig;
import dev.triage.config.TriageConfig;
import dev.triage.provider.ProviderKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration {@code triage serve} runs with when no config file is given: a SQLite ledger under
 * {@code ./triage-data/}, and a provider for each of OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY
 * that is set. With none set, the seed's model line-up is served by simulated providers (offline demo).
 */
public final class DefaultConfig {

    private DefaultConfig() {
    }

    /** Whether the default config for this environment is the offline demo. */
    public static boolean isOfflineDemo(Map<String, String> env) {
        return blank(env.get("OPENAI_API_KEY")) && blank(env.get("ANTHROPIC_API_KEY")) && blank(env.get("GEMINI_API_KEY"));
    }

    public static TriageConfig fromEnvironment(Map<String, String> env) {
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        if (isOfflineDemo(env)) {
            // Same provider names as the real ones, so every catalog model of the three vendors is servable.
            ProviderConfig.Simulation sim = new ProviderConfig.Simulation(Duration.ofMillis(150), 200, 64, 0.0);
            for (String name : new String[]{"openai", "anthropic", "google"}) {
                providers.put(name, new ProviderConfig(name, ProviderKind.SIMULATED, null, null, Map.of(), sim, null));
            }
            return new TriageConfig(ServerConfig.defaults(), StorageConfig.defaults(), providers, Map.of(),
                    ResilienceConfig.defaults(), Map.of());
        }
        return ConfigLoader.builtInDefault(env);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
