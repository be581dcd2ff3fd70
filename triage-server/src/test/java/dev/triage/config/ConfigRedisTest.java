package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.provider.Secrets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storage.redis} and {@code storage.redis_timeout_ms}. */
class ConfigRedisTest {

    private static TriageConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "triage.yaml", Map.of("REDIS_PW", "redis-pw-7f3a9c"));
    }

    private static String errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void withoutRedisBudgetsStayInMemory() {
        assertThat(parse("").storage().redis()).isNull();
    }

    @Test
    void aRedisUriIsReadWithItsTimeoutAndItsPasswordIsASecret() {
        StorageConfig s = parse("storage: {redis: \"redis://:${REDIS_PW}@cache.internal:6380/2\", redis_timeout_ms: 250}").storage();

        assertThat(s.redis()).isEqualTo("redis://:redis-pw-7f3a9c@cache.internal:6380/2");
        assertThat(s.redisTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.toString()).doesNotContain("redis-pw-7f3a9c").contains("redis=[set]");
        assertThat(Secrets.redact("auth failed with redis-pw-7f3a9c")).doesNotContain("redis-pw-7f3a9c");
        assertThat(parse("storage: {redis: \"rediss://cache:6379\"}").storage().redisTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWrongUriIsAnErrorThatDoesNotEchoIt() {
        String e = errors("storage: {redis: \"http://:hunter2-secret@cache:6379/0\"}");
        assertThat(e).contains("triage.yaml:1:18: storage.redis: expected redis://HOST[:PORT][/DB] or rediss://")
                .doesNotContain("hunter2-secret");
        assertThat(errors("storage: {redis: \"redis://cache:6379/zero\"}")).contains("storage.redis: expected redis://");
        assertThat(errors("storage: {redis: \"redis:// bad\"}")).contains("storage.redis: expected redis://");
        assertThat(errors("storage: {redis_timeout_ms: 100}")).contains("storage.redis_timeout_ms: applies only with storage.redis");
        assertThat(errors("storage: {redis: \"redis://cache\", redis_timeout_ms: 0}")).contains("storage.redis_timeout_ms");
        assertThat(errors("storage: {rediss: \"redis://cache\"}")).contains("storage.rediss").contains("did you mean 'redis'");
    }
}
