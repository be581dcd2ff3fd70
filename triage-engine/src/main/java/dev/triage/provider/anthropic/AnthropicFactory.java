package dev.triage.provider.anthropic;

import dev.triage.provider.Capability;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderSettings;
import dev.triage.provider.http.UpstreamHttp;
import dev.triage.tokens.TokenEstimator;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kind: anthropic}: the Messages API. It has no token logprobs and no {@code n}; prompt caching
 * is reported as cache reads and writes.
 */
public record AnthropicFactory() implements ProviderFactory {

    @Override
    public String configName() {
        return "anthropic";
    }

    @Override
    public Optional<URI> defaultBaseUrl() {
        return Optional.of(AnthropicProvider.DEFAULT_BASE_URL);
    }

    @Override
    public String genAiProviderName() {
        return "anthropic";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.TOOLS, Capability.PROMPT_CACHING);
    }

    @Override
    public Optional<String> apiKeyVariable() {
        return Optional.of("ANTHROPIC_API_KEY");
    }

    @Override
    public boolean requiresApiKey() {
        return true;
    }

    @Override
    public Provider create(ProviderSettings settings, TokenEstimator tokens) {
        return new AnthropicProvider(settings.name(), settings.baseUrl(), settings.apiKey(), settings.headers(),
                AnthropicProvider.DEFAULT_MAX_TOKENS, UpstreamHttp.withDefaults());
    }
}
