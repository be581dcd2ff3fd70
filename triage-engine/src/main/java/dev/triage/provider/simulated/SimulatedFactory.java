package dev.triage.provider.simulated;

import dev.triage.provider.Capability;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderOption;
import dev.triage.provider.ProviderOptions;
import dev.triage.provider.ProviderSettings;
import dev.triage.tokens.TokenEstimator;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code kind: simulated}: synthetic answers in-process, with the behaviour its options set. It stands
 * in for any model, so it does what a model does: logprobs (a route scored by logprobs can be demonstrated),
 * several choices, tool calls and structured output (see {@link SimulatedProvider}).
 */
public record SimulatedFactory() implements ProviderFactory {

    public static final ProviderOption.Millis LATENCY = new ProviderOption.Millis("latency_ms", Duration.ZERO);
    public static final ProviderOption.Count TOKENS_PER_SECOND = new ProviderOption.Count("tokens_per_second", 1_000_000, 0);
    public static final ProviderOption.Count OUTPUT_TOKENS = new ProviderOption.Count("output_tokens", 1_000_000, 64);
    public static final ProviderOption.Fraction FAILURE_RATE = new ProviderOption.Fraction("failure_rate", 0.0);

    /** The options that make a simulated provider behave as {@code settings}. */
    public static ProviderOptions options(SimulatedProvider.Settings settings) {
        return ProviderOptions.NONE.with(LATENCY, settings.latency()).with(TOKENS_PER_SECOND, settings.tokensPerSecond())
                .with(OUTPUT_TOKENS, settings.outputTokens()).with(FAILURE_RATE, settings.failureRate());
    }

    /** How a simulated provider with {@code options} behaves. */
    public static SimulatedProvider.Settings settings(ProviderOptions options) {
        return new SimulatedProvider.Settings(options.get(LATENCY), options.get(OUTPUT_TOKENS), options.get(TOKENS_PER_SECOND),
                options.get(FAILURE_RATE));
    }

    @Override
    public String configName() {
        return "simulated";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.LOGPROBS, Capability.MULTIPLE_CHOICES, Capability.TOOLS);
    }

    @Override
    public List<ProviderOption<?>> options() {
        return List.of(LATENCY, TOKENS_PER_SECOND, OUTPUT_TOKENS, FAILURE_RATE);
    }

    @Override
    public Provider create(ProviderSettings settings, TokenEstimator tokens) {
        return new SimulatedProvider(settings.name(), settings(settings.options()), tokens);
    }
}
