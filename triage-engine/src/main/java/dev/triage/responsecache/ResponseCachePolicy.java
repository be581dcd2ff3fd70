package dev.triage.responsecache;

import java.util.Map;
import java.util.Objects;

/**
 * Which response-cache settings apply to a request: its route's own {@code cache:}, else the top-level one.
 *
 * @param defaults the top-level settings (also for requests naming a model)
 * @param byRoute  routes with their own settings
 */
public record ResponseCachePolicy(ResponseCacheSettings defaults, Map<String, ResponseCacheSettings> byRoute) {

    /** No response cache anywhere. */
    public static final ResponseCachePolicy OFF = new ResponseCachePolicy(ResponseCacheSettings.OFF, Map.of());

    public ResponseCachePolicy {
        Objects.requireNonNull(defaults, "defaults");
        byRoute = Map.copyOf(byRoute);
    }

    /** The settings for a request to {@code routeOrModel}. */
    public ResponseCacheSettings settingsFor(String routeOrModel) {
        return byRoute.getOrDefault(routeOrModel, defaults);
    }

    /** True when some route (or the top level) caches answers. */
    public boolean anyEnabled() {
        return defaults.enabled() || byRoute.values().stream().anyMatch(ResponseCacheSettings::enabled);
    }

    /** True when some route (or the top level) answers by meaning. */
    public boolean anySemantic() {
        return defaults.semantic().enabled() || byRoute.values().stream().anyMatch(s -> s.semantic().enabled());
    }
}
