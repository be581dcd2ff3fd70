package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.config.ProviderConfig;
import dev.triage.config.TriageConfig;
import dev.triage.provider.anthropic.AnthropicFactory;
import dev.triage.provider.simulated.SimulatedFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultConfigTest {

    @Test
    void withoutAnyKeyTheDefaultLineUpIsServedBySimulatedProviders() {
        Map<String, String> env = Map.of("PATH", "/usr/bin");
        assertThat(DefaultConfig.isOfflineDemo(env)).isTrue();
        TriageConfig config = DefaultConfig.fromEnvironment(env);
        assertThat(config.providers().values()).extracting(ProviderConfig::kind).containsOnly(new SimulatedFactory());
        // The default routes' models, and the seed's (retired upstream, still simulated and priced offline).
        for (String model : new String[]{"gemini-3.1-flash-lite", "claude-sonnet-4.6", "claude-opus-4.6", "gpt-5.5", "gpt-5.4",
                "gpt-5.4-mini", "gemini-2.0-flash", "gpt-4.1", "gpt-4.1-mini", "gpt-4.5", "claude-3.5-sonnet", "claude-3.7-sonnet"}) {
            assertThat(config.isAvailable(config.catalog().find(model).orElseThrow())).as(model).isTrue();
        }
        assertThat(config.storage().ledger()).isEqualTo("sqlite:./triage-data/ledger.db");
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.routes().keySet()).containsExactly("task", "tiered", "cascade", "auto");
        assertThat(config.routes()).isEqualTo(DefaultConfig.fromEnvironment(Map.of("OPENAI_API_KEY", "k")).routes());
    }

    @Test
    void withOneKeyOnlyThatVendorIsCalledForReal() {
        Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "sk-ant-test-0123456789abcdef");
        assertThat(DefaultConfig.isOfflineDemo(env)).isFalse();
        TriageConfig config = DefaultConfig.fromEnvironment(env);
        assertThat(config.providers().get("anthropic").kind()).isEqualTo(new AnthropicFactory());
        assertThat(config.providers().get("anthropic").enabled()).isTrue();
        assertThat(config.providers().get("openai").enabled()).isFalse();
        assertThat(config.providers().get("google").enabled()).isFalse();
        assertThat(config.isAvailable(config.catalog().find("claude-sonnet-4.6").orElseThrow())).isTrue();
        assertThat(config.isAvailable(config.catalog().find("gpt-5.4").orElseThrow())).isFalse();
    }
}
