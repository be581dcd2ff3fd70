package dev.triage.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The {@link ProviderFactory}s on the class path, loaded once by {@link ServiceLoader} in the order it
 * finds them (the engine's own: {@code openai}, {@code anthropic}, {@code gemini}, {@code simulated}).
 */
public final class ProviderFactories {

    private static final List<ProviderFactory> ALL = load();

    private ProviderFactories() {
    }

    /** Every kind, in the order they were found. */
    public static List<ProviderFactory> all() {
        return ALL;
    }

    /** The factory whose {@link ProviderFactory#configName()} is {@code configName}. */
    public static Optional<ProviderFactory> named(String configName) {
        return ALL.stream().filter(f -> f.configName().equals(configName)).findFirst();
    }

    /** Every kind's config name, in the order of {@link #all()}: for messages that list what is possible. */
    public static List<String> names() {
        return ALL.stream().map(ProviderFactory::configName).toList();
    }

    private static List<ProviderFactory> load() {
        Map<String, ProviderFactory> byName = new LinkedHashMap<>();
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class)) {
            ProviderFactory earlier = byName.putIfAbsent(factory.configName(), factory);
            // The same factory registered twice (a jar and a shaded copy of it) is harmless; two kinds of one name are not.
            if (earlier != null && !earlier.equals(factory)) {
                throw new IllegalStateException("two provider factories call themselves '" + factory.configName() + "': "
                        + earlier.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return List.copyOf(byName.values());
    }
}
