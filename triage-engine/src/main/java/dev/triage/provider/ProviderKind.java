package dev.triage.provider;

import java.util.Locale;

/** The wire protocols Triage speaks. */
public enum ProviderKind {
    /** OpenAI Chat Completions, and every server that speaks it (vLLM, Ollama, Together, Groq, DeepSeek, OpenRouter). */
    OPENAI,
    /** Anthropic Messages API. */
    ANTHROPIC,
    /** Google Gemini generateContent. */
    GEMINI,
    /** Synthetic answers with configurable latency, for the offline demo and load tests. */
    SIMULATED;

    /**
     * Whether answers through this protocol can carry per-token log-probabilities, which the
     * {@code logprob} confidence scorer needs. Anthropic's API has none, and Triage's Gemini
     * translation does not map Gemini's; {@code simulated} stands in for any model, so it counts as able.
     */
    public boolean returnsLogprobs() {
        return this == OPENAI || this == SIMULATED;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProviderKind fromConfig(String value) {
        for (ProviderKind k : values()) {
            if (k.configName().equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown provider kind '" + value + "' (expected openai, anthropic, gemini or simulated)");
    }
}
