package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.responsecache.ResponseCacheSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cache:}: the response cache's settings, and the store's bounds, which only the top level may set. */
class ConfigResponseCacheTest {

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
    void theStoresByteBoundsDefaultAndAreRead() {
        ResponseCacheSettings.Exact defaults = parse("cache: {exact: {enabled: true}}").responseCache().defaults().exact();
        assertThat(defaults.maxAnswerBytes()).isEqualTo(ResponseCacheSettings.DEFAULT_MAX_ANSWER_BYTES).isEqualTo(262_144);
        assertThat(defaults.maxMemoryBytes()).isEqualTo(ResponseCacheSettings.DEFAULT_MAX_MEMORY_BYTES).isEqualTo(67_108_864);
        ResponseCacheSettings.Exact set = parse("cache: {exact: {enabled: true, max_answer_bytes: 4096, max_memory_bytes: 1048576}}")
                .responseCache().defaults().exact();
        assertThat(set.maxAnswerBytes()).isEqualTo(4096);
        assertThat(set.maxMemoryBytes()).isEqualTo(1_048_576);
    }

    @Test
    void badBoundsAreErrorsWithTheirPlace() {
        assertThat(errors("cache: {exact: {max_answer_bytes: 100}}"))
                .contains("cache.exact.max_answer_bytes: must be between 1024 and 67108864, got 100");
        assertThat(errors("cache: {exact: {max_answer_bytes: 8192, max_memory_bytes: 4096}}"))
                .contains("cache.exact.max_memory_bytes: max_memory_bytes (4096) must be at least max_answer_bytes (8192)");
        assertThat(errors(ROUTES + "    cache: {exact: {max_answer_bytes: 4096}}\n"))
                .contains("routes.agent.cache.exact.max_answer_bytes: one store serves every route: set max_answer_bytes under the"
                        + " top-level cache");
        assertThat(errors(ROUTES + "    cache: {exact: {max_memory_bytes: 4096}}\n"))
                .contains("routes.agent.cache.exact.max_memory_bytes: one store serves every route");
    }
}
