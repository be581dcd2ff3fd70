package dev.triage.provider;

import dev.triage.chat.ChatResponse;

/**
 * An upstream LLM API. Implementations translate the canonical OpenAI-shaped request to their
 * native wire format and back, and map every failure to a {@link ProviderException}.
 *
 * <p>To add a provider: implement this interface in a package {@code dev.triage.provider.NAME}, with a
 * {@link ProviderFactory} that builds it and a line naming the factory in
 * {@code META-INF/services/dev.triage.provider.ProviderFactory}.
 */
public interface Provider {

    /** The name this provider has in the config ({@code providers.NAME}). */
    String name();

    /** The kind of provider this is: what its API can do, and the factory that builds it from a config. */
    ProviderFactory kind();

    /** A non-streaming call. */
    ChatResponse complete(ProviderCall call);

    /**
     * A streaming call: translated chunks go to {@code sink} as they arrive; returns once the upstream
     * stream ended normally. Throws {@link ProviderException} on upstream failure (also mid-stream) and
     * lets {@link ClientGoneException} from the sink propagate after closing the upstream connection.
     */
    StreamOutcome stream(ProviderCall call, ChunkSink sink);

    /** Whether the upstream can return token logprobs (OpenAI {@code logprobs: true}), as its kind declares. */
    default boolean supportsLogprobs() {
        return kind().returnsLogprobs();
    }
}
