package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.caching.PromptCachePolicy;
import dev.triage.chat.PromptCache;
import dev.triage.context.ContextSettings;
import dev.triage.provider.gemini.GeminiFactory;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code prompt_cache:}, a route's {@code context:}, an OpenAI provider's {@code prompt_cache_key} and a Gemini
 * provider's {@code explicit_cache}.
 */
class ConfigConversationsTest {

    private static final String ROUTES = """
            providers:
              openai: {kind: openai, api_key: sk-test-0123456789abcdef}
            routes:
              agent:
                policy: cheapest
                models: [gpt-4.1, gpt-4.1-mini]
            """;

    private static TriageConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "triage.yaml", Map.of());
    }

    private static String errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void promptCachingIsOnByDefaultAndCanBeShapedOrTurnedOff() {
        assertThat(parse("").promptCache()).isEqualTo(PromptCachePolicy.DEFAULT);
        PromptCachePolicy p = parse(ROUTES + "prompt_cache: {enabled: true, ttl: 1h, off_for: [agent, gpt-4.1], cache_aware_routing: false}")
                .promptCache();
        assertThat(p).isEqualTo(new PromptCachePolicy(true, PromptCache.Ttl.ONE_HOUR, Set.of("agent", "gpt-4.1"), false));
        assertThat(parse("prompt_cache: {enabled: false}").promptCache().enabled()).isFalse();
    }

    @Test
    void badPromptCacheValuesAreErrorsWithTheirPlace() {
        assertThat(errors("prompt_cache: {ttl: 2h}")).contains("triage.yaml:1:21: prompt_cache.ttl: expected 5m or 1h");
        assertThat(errors(ROUTES + "prompt_cache: {off_for: [agnet]}")).contains("prompt_cache.off_for[0]: 'agnet' is not a route or a model")
                .contains("did you mean 'agent'");
        assertThat(errors("prompt_cache: {enable: true}")).contains("prompt_cache.enable").contains("did you mean 'enabled'");
    }

    @Test
    void aRouteSharesContextWithItsSettingsAndDefaults() {
        TriageConfig c = parse(ROUTES + """
                    context: {share: true, summarizer: gpt-4.1-mini, experiment: 0.5}
                """);
        assertThat(c.contexts()).containsExactly(Map.entry("agent", new ContextSettings(8_000, 4, "gpt-4.1-mini", 0.5)));
        assertThat(parse(ROUTES + "    context: {share: false}\n").contexts()).isEmpty();
    }

    @Test
    void badContextSettingsAreErrors() {
        assertThat(errors(ROUTES + "    context: {share: true}\n")).contains("routes.agent.context: missing key 'summarizer'");
        assertThat(errors(ROUTES + "    context: {share: true, summarizer: gpt-9}\n"))
                .contains("routes.agent.context.summarizer: 'gpt-9' is not a model");
        assertThat(errors(ROUTES + "    context: {share: true, summarizer: gpt-4.1-mini, experiment: 1.5}\n"))
                .contains("routes.agent.context.experiment");
        assertThat(errors(ROUTES + "    context: {share: true, summarizer: gpt-4.1-mini, keep_last_turns: 0}\n"))
                .contains("routes.agent.context.keep_last_turns");
        assertThat(errors(ROUTES + "    context: {shared: true}\n")).contains("routes.agent.context.shared");
    }

    @Test
    void anOpenAiProviderMayBeToldToSendOrNotSendACacheKey() {
        assertThat(parse("providers:\n  local: {kind: openai, base_url: \"http://127.0.0.1:11434/v1\", prompt_cache_key: true}\n")
                .providers()).containsKey("local");
        assertThat(errors("providers:\n  local: {kind: openai, base_url: \"http://127.0.0.1:11434/v1\", prompt_cache_key: maybe}\n"))
                .contains("providers.local.prompt_cache_key");
    }

    @Test
    void aGeminiProvidersExplicitCachesAreAutoUnlessTurnedOff() {
        String gemini = "providers:\n  google: {kind: gemini, api_key: AIza-test-0123456789, explicit_cache: %s}\n";
        assertThat(parse("providers:\n  google: {kind: gemini, api_key: AIza-test-0123456789}\n").providers().get("google")
                .options().get(GeminiFactory.EXPLICIT_CACHE)).isEqualTo("auto");
        assertThat(parse(gemini.formatted("off")).providers().get("google").options().get(GeminiFactory.EXPLICIT_CACHE))
                .isEqualTo("off");
        assertThat(errors(gemini.formatted("always"))).contains("providers.google.explicit_cache").contains("auto, off");
    }
}
