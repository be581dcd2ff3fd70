package dev.triage.provider;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a config says about one provider, checked against what its {@link ProviderFactory} declares:
 * the factory builds the provider from it.
 *
 * @param name    the key under {@code providers:}; models refer to it, error messages start with it
 * @param baseUrl the API root without a trailing slash (the factory's default unless the config gives one);
 *                null for a provider that calls no HTTP API
 * @param apiKey  the credential, or null when none is configured
 * @param headers extra headers for every upstream call
 * @param options the values of the factory's own {@link ProviderFactory#options()}
 */
public record ProviderSettings(String name, URI baseUrl, String apiKey, Map<String, String> headers, ProviderOptions options) {

    public ProviderSettings {
        Objects.requireNonNull(name, "name");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        options = options == null ? ProviderOptions.NONE : options;
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? null : "[redacted]")
                + ", headers=" + headers.keySet() + ", options=" + options + "]";
    }
}
