package dev.triage.config;

import dev.triage.caching.PromptCachePolicy;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.context.ContextSettings;
import dev.triage.responsecache.ResponseCachePolicy;
import dev.triage.routing.RouteSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole Triage config, validated. Maps keep the file's order.
 *
 * @param providers  {@code providers:} by name, including disabled ones
 * @param models     {@code models:} by id, as written (see {@link #catalog()} for the merged result)
 * @param routes     {@code routes:} by name, parsed and checked (models, tiers, stages, floors, scorers, model files);
 *                   a {@code from:} copy is the source route under the copy's name
 * @param warnings   what loads but is likely a mistake (a route naming a retired or deprecated model), in file order
 */
public record TriageConfig(ServerConfig server, StorageConfig storage, Map<String, ProviderConfig> providers,
                           Map<String, ModelConfig> models, ResilienceConfig resilience,
                           Map<String, RouteSpec> routes, AlertsConfig alerts, PromptCachePolicy promptCache,
                           Map<String, ContextSettings> contexts, ResponseCachePolicy responseCache, List<ConfigError> warnings) {

    public TriageConfig {
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        contexts = Map.copyOf(contexts);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A config without warnings. */
    public TriageConfig(ServerConfig server, StorageConfig storage, Map<String, ProviderConfig> providers,
                        Map<String, ModelConfig> models, ResilienceConfig resilience, Map<String, RouteSpec> routes,
                        AlertsConfig alerts, PromptCachePolicy promptCache, Map<String, ContextSettings> contexts,
                        ResponseCachePolicy responseCache) {
        this(server, storage, providers, models, resilience, routes, alerts, promptCache, contexts, responseCache, List.of());
    }

    /** This config with {@code found} as its warnings. */
    TriageConfig withWarnings(List<ConfigError> found) {
        return new TriageConfig(server, storage, providers, models, resilience, routes, alerts, promptCache, contexts, responseCache,
                found);
    }

    /** Every key at its default: what an empty file gives. No providers, models or routes. */
    public static TriageConfig defaults() {
        return new TriageConfig(ServerConfig.defaults(), StorageConfig.defaults(), Map.of(), Map.of(),
                ResilienceConfig.defaults(), Map.of(), AlertsConfig.none(), PromptCachePolicy.DEFAULT,
                Map.of(), ResponseCachePolicy.OFF);
    }

    /** This config served on another port. */
    public TriageConfig withPort(int port) {
        return new TriageConfig(server.withPort(port), storage, providers, models, resilience, routes, alerts, promptCache, contexts,
                responseCache, warnings);
    }

    /** The bundled catalog with this config's {@code models:} added and applied, fallback chains included. */
    public PriceCatalog catalog() {
        return catalog(PriceCatalog.builtIn());
    }

    /** {@link #catalog()} over another base catalog (the one the config was validated against). */
    public PriceCatalog catalog(PriceCatalog bundled) {
        List<ModelInfo> merged = new ArrayList<>();
        for (ModelConfig m : models.values()) {
            merged.add(m.applyTo(bundled.find(m.id()).orElse(null)));
        }
        return bundled.with(merged);
    }

    /** True when the model's provider is configured here and enabled. */
    public boolean isAvailable(ModelInfo model) {
        ProviderConfig p = providers.get(model.provider());
        return p != null && p.enabled();
    }

    /** {@link #catalog()} without the models whose provider is missing or disabled. */
    public PriceCatalog availableCatalog() {
        return catalog().filter(this::isAvailable);
    }
}
