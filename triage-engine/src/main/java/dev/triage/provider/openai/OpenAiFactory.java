package dev.triage.provider.openai;

import dev.triage.provider.Capability;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderOption;
import dev.triage.provider.ProviderSettings;
import dev.triage.provider.http.UpstreamHttp;
import dev.triage.tokens.TokenEstimator;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kind: openai}: OpenAI Chat Completions, and every server that speaks it (vLLM, Ollama,
 * Together, Groq, DeepSeek, OpenRouter). The key is optional, since local servers take none.
 */
public record OpenAiFactory() implements ProviderFactory {

    private static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");

    /**
     * {@code prompt_cache_key: true|false}: send OpenAI's {@code prompt_cache_key} (the request's session,
     * hashed) so a conversation's turns reach the same warm cache. Left out: sent to api.openai.com only,
     * since other servers that speak the protocol may refuse a field they do not know.
     */
    public static final ProviderOption.Flag PROMPT_CACHE_KEY = new ProviderOption.Flag("prompt_cache_key", null);

    @Override
    public java.util.List<ProviderOption<?>> options() {
        return java.util.List.of(PROMPT_CACHE_KEY);
    }

    @Override
    public String configName() {
        return "openai";
    }

    @Override
    public Optional<URI> defaultBaseUrl() {
        return Optional.of(DEFAULT_BASE_URL);
    }

    @Override
    public String genAiProviderName() {
        return "openai";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.LOGPROBS, Capability.MULTIPLE_CHOICES, Capability.TOOLS, Capability.PROMPT_CACHING);
    }

    @Override
    public Optional<String> apiKeyVariable() {
        return Optional.of("OPENAI_API_KEY");
    }

    @Override
    public boolean requiresApiKey() {
        return false;
    }

    @Override
    public Provider create(ProviderSettings settings, TokenEstimator tokens) {
        URI base = settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl();
        Boolean cacheKey = settings.options().get(PROMPT_CACHE_KEY);
        boolean sendCacheKey = cacheKey != null ? cacheKey : "api.openai.com".equals(base.getHost());
        return new OpenAiProvider(settings.name(), base.toString(), settings.apiKey(), settings.headers(), UpstreamHttp.withDefaults(),
                sendCacheKey);
    }
}
