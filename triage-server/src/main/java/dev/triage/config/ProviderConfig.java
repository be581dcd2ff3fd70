package dev.triage.config;

import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderOptions;
import dev.triage.provider.ProviderSettings;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upstream Triage can call ({@code providers.NAME}).
 *
 * @param name           the key under {@code providers:}; models refer to it
 * @param kind           the kind of provider: its factory, which says what the API can do and builds it
 * @param baseUrl        API root without a trailing slash; null for a kind that calls no HTTP API
 * @param apiKey         the credential, or null when none is configured
 * @param headers        extra headers sent on every call (e.g. {@code OpenAI-Organization})
 * @param options        the values of the kind's own options ({@link ProviderFactory#options()}); null means none
 * @param disabledReason why the provider is switched off (its {@code api_key} resolved to empty), or null
 */
public record ProviderConfig(String name, ProviderFactory kind, URI baseUrl, String apiKey, Map<String, String> headers,
                             ProviderOptions options, String disabledReason) {

    public ProviderConfig {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        options = options == null ? ProviderOptions.NONE : options;
    }

    /**
     * A disabled provider is one whose {@code api_key} resolved to empty (typically an unset
     * environment variable): it is kept so the config stays valid, but nothing is sent to it and
     * the models it serves are unavailable.
     */
    public boolean enabled() {
        return disabledReason == null;
    }

    /** What {@link #kind()} builds the provider from. */
    public ProviderSettings settings() {
        return new ProviderSettings(name, baseUrl, apiKey, headers, options);
    }

    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", kind=" + kind.configName() + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? null : "[redacted]") + ", headers=" + headers.keySet()
                + ", options=" + options + ", disabledReason=" + disabledReason + "]";
    }
}
