package dev.triage.provider;

/** What a provider's API can do beyond one plain chat answer; each {@link ProviderFactory} declares its own. */
public enum Capability {
    /**
     * Answers carry per-token log-probabilities when asked ({@code logprobs: true}), which the
     * {@code logprob} confidence scorer needs.
     */
    LOGPROBS,
    /** Several choices in one answer ({@code n > 1}). */
    MULTIPLE_CHOICES,
    /** Function tools in the request, tool calls in the answer. */
    TOOLS,
    /** A prompt prefix seen before is read from the provider's cache and reported as cached input tokens. */
    PROMPT_CACHING
}
