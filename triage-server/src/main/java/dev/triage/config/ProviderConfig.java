package dev.triage.config;

import dev.triage.provider.ProviderKind;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upstream Triage can call ({@code providers.NAME}).
 *
 * @param name           the key under {@code providers:}; models refer to it
 * @param kind           the wire protocol
 * @param baseUrl        API root without a trailing slash; null for {@code simulated}
 * @param apiKey         the credential, or null when none is configured
 * @param headers        extra headers sent on every call (e.g. {@code OpenAI-Organization})
 * @param simulation     the synthetic provider's behaviour; null unless {@code kind} is {@code simulated}
 * @param disabledReason why the provider is switched off (its {@code api_key} resolved to empty), or null
 */
public record ProviderConfig(String name, ProviderKind kind, URI baseUrl, String apiKey, Map<String, String> headers,
                             Simulation simulation, String disabledReason) {

    public ProviderConfig {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * A disabled provider is one whose {@code api_key} resolved to empty (typically an unset
     * environment variable): it is kept so the config stays valid, but nothing is sent to it and
     * the models it serves are unavailable.
     */
    public boolean enabled() {
        return disabledReason == null;
    }

    /** The default API root of each HTTP kind, used when {@code base_url} is left out. */
    public static URI defaultBaseUrl(ProviderKind kind) {
        return switch (kind) {
            case OPENAI -> URI.create("https://api.openai.com/v1");
            case ANTHROPIC -> URI.create("https://api.anthropic.com");
            case GEMINI -> URI.create("https://generativelanguage.googleapis.com");
            case SIMULATED -> null;
        };
    }

    /**
     * How the {@code simulated} provider behaves.
     *
     * @param latency         wait before the first token
     * @param tokensPerSecond stream pacing; 0 sends the whole answer at once
     * @param outputTokens    length of each synthetic answer
     * @param failureRate     share of calls (0 to 1) that fail with a retryable upstream error, for demos of fallback
     */
    public record Simulation(Duration latency, int tokensPerSecond, int outputTokens, double failureRate) {

        public static Simulation defaults() {
            return new Simulation(Duration.ZERO, 0, 64, 0.0);
        }
    }

    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", kind=" + kind.configName() + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? null : "[redacted]") + ", headers=" + headers.keySet()
                + ", simulation=" + simulation + ", disabledReason=" + disabledReason + "]";
    }
}
