package dev.triage.provider;

import dev.triage.tokens.TokenEstimator;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of provider ({@code providers.NAME.kind}), describing itself: its name in the config, its
 * API's defaults and capabilities, the keys it reads, and how to build a {@link Provider} from them.
 * The config loader, the composition root and the metrics ask the factory; nothing switches on a
 * kind's name.
 *
 * <p>Factories are found by {@link java.util.ServiceLoader} through the {@code
 * META-INF/services/dev.triage.provider.ProviderFactory} files on the class path (see
 * {@link ProviderFactories}), so a provider is three files: the provider, its factory and the
 * services line. A factory holds no state; the built-in ones are records without components, so any
 * two instances of one kind are equal.
 */
public interface ProviderFactory {

    /** The value of {@code kind} that selects this factory, e.g. {@code openai}. */
    String configName();

    /**
     * The API root used when the config gives no {@code base_url}; empty (the default) for a provider that
     * calls no HTTP API, which then takes none of {@code base_url}, {@code api_key} and {@code headers}.
     */
    default Optional<URI> defaultBaseUrl() {
        return Optional.empty();
    }

    /**
     * The OpenTelemetry {@code gen_ai.provider.name} of this API: the convention's well-known value
     * where there is one ({@code openai}, {@code anthropic}, {@code gcp.gemini}), else (the default)
     * {@code triage.} and the config name.
     */
    default String genAiProviderName() {
        return "triage." + configName();
    }

    /** What this API can do beyond one plain answer (nothing, unless overridden); the provider contract test holds it to each. */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /** Whether answers can carry per-token logprobs, which the {@code logprob} confidence scorer needs. */
    default boolean returnsLogprobs() {
        return capabilities().contains(Capability.LOGPROBS);
    }

    /**
     * The environment variable this API's key usually comes from (e.g. {@code OPENAI_API_KEY}), if it
     * takes a key: the built-in config reads it, and a config without a required key is told to use it.
     */
    default Optional<String> apiKeyVariable() {
        return Optional.empty();
    }

    /**
     * Whether a config must give an {@code api_key}; false unless overridden (an HTTP API also served
     * keyless, such as a local OpenAI-compatible server, does not require one).
     */
    default boolean requiresApiKey() {
        return false;
    }

    /** The keys this provider reads besides {@code kind} and the HTTP ones; none unless overridden. */
    default List<ProviderOption<?>> options() {
        return List.of();
    }

    /**
     * Builds the provider a config describes. {@code settings} has been checked against what this
     * factory declares: a base URL (the default if none was given) for an HTTP API, a key if one is
     * required, a value or the default for every option.
     *
     * @param tokens the gateway's token counter, for providers that count usage themselves
     */
    Provider create(ProviderSettings settings, TokenEstimator tokens);
}
