package dev.triage.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The routing policies a config may name: every {@link RoutePolicyReader} on the class path, in service-file order. */
final class RoutePolicies {

    private static final Map<String, RoutePolicyReader> READERS = load();

    private RoutePolicies() {
    }

    private static Map<String, RoutePolicyReader> load() {
        Map<String, RoutePolicyReader> out = new LinkedHashMap<>();
        for (RoutePolicyReader reader : ServiceLoader.load(RoutePolicyReader.class, RoutePolicyReader.class.getClassLoader())) {
            RoutePolicyReader earlier = out.putIfAbsent(reader.policy(), reader);
            if (earlier != null) {
                throw new IllegalStateException("two readers for routing policy '" + reader.policy() + "': "
                        + earlier.getClass().getName() + " and " + reader.getClass().getName());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no routing policy readers found (META-INF/services/" + RoutePolicyReader.class.getName() + ")");
        }
        return out;
    }

    /** The policy names, as error messages list them. */
    static List<String> names() {
        return List.copyOf(READERS.keySet());
    }

    static Optional<RoutePolicyReader> find(String policy) {
        return Optional.ofNullable(READERS.get(policy));
    }

    /** The policies whose routes take {@code key}. */
    static List<String> taking(String key) {
        return READERS.values().stream().filter(r -> r.keys().contains(key)).map(RoutePolicyReader::policy).toList();
    }
}
