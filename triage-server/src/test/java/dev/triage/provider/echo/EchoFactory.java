package dev.triage.provider.echo;

import dev.triage.provider.Provider;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderOption;
import dev.triage.provider.ProviderSettings;
import dev.triage.tokens.TokenEstimator;
import java.util.List;

/**
 * {@code kind: echo}, a throwaway provider that lives outside the engine: it shows that a kind is its
 * factory, its provider and a services line (in {@code src/test/echo-provider}), with no edit to main code.
 * It calls no HTTP API, takes no key and declares no capability, so the interface's defaults serve; its
 * {@code gen_ai.provider.name} is {@code triage.echo}.
 */
public record EchoFactory() implements ProviderFactory {

    /** How many times the answer repeats the question. */
    public static final ProviderOption.Count REPEAT = new ProviderOption.Count("repeat", 10, 1);

    @Override
    public String configName() {
        return "echo";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return List.of(REPEAT);
    }

    @Override
    public Provider create(ProviderSettings settings, TokenEstimator tokens) {
        return new EchoProvider(settings.name(), settings.options().get(REPEAT), tokens);
    }
}
