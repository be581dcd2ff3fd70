package dev.triage.provider.gemini;

import dev.triage.provider.Capability;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderOption;
import dev.triage.provider.ProviderSettings;
import dev.triage.provider.http.UpstreamHttp;
import dev.triage.tokens.TokenEstimator;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kind: gemini}: Google's Gemini API. {@code logprobs}/{@code top_logprobs} become
 * {@code responseLogprobs}/{@code logprobs} and its {@code logprobsResult} comes back as OpenAI token
 * logprobs; {@code n} becomes {@code candidateCount}.
 */
public record GeminiFactory() implements ProviderFactory {

    /**
     * {@code explicit_cache: auto|off}: {@code auto} buys Gemini explicit caches ({@code cachedContents}) of a
     * request's system instruction and tools where the measured saving beats the storage fee (see the README's
     * "Conversations" section); {@code off} leaves caching to Gemini's implicit cache.
     */
    public static final ProviderOption.Choice EXPLICIT_CACHE = new ProviderOption.Choice("explicit_cache", List.of("auto", "off"), "auto");

    @Override
    public List<ProviderOption<?>> options() {
        return List.of(EXPLICIT_CACHE);
    }

    @Override
    public String configName() {
        return "gemini";
    }

    @Override
    public Optional<URI> defaultBaseUrl() {
        return Optional.of(URI.create(GeminiProvider.DEFAULT_BASE_URL));
    }

    @Override
    public String genAiProviderName() {
        return "gcp.gemini";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.LOGPROBS, Capability.MULTIPLE_CHOICES, Capability.TOOLS, Capability.PROMPT_CACHING);
    }

    @Override
    public Optional<String> apiKeyVariable() {
        return Optional.of("GEMINI_API_KEY");
    }

    @Override
    public boolean requiresApiKey() {
        return true;
    }

    @Override
    public Provider create(ProviderSettings settings, TokenEstimator tokens) {
        GeminiProvider.ExplicitCaching caching = "off".equals(settings.options().get(EXPLICIT_CACHE))
                ? GeminiProvider.ExplicitCaching.OFF : GeminiProvider.ExplicitCaching.AUTO;
        return new GeminiProvider(settings.name(), settings.baseUrl() == null ? null : settings.baseUrl().toString(),
                settings.apiKey(), settings.headers(), UpstreamHttp.withDefaults(), caching, tokens);
    }
}
