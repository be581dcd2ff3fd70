package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.provider.Secrets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storage.redis}, {@code storage.redis_timeout_ms} and {@code storage.redis_outage}. */
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

    @Test
    void aRedisOutageFailsClosedUnlessLocalAllowancesAreAsked() {
        assertThat(parse("storage: {redis: \"redis://cache\"}").storage().redisOutage()).isEqualTo(StorageConfig.RedisOutage.FAIL_CLOSED);
        assertThat(parse("").storage().redisOutage()).isEqualTo(StorageConfig.RedisOutage.FAIL_CLOSED);
        assertThat(parse("storage: {redis: \"redis://cache\", redis_outage: allow_local}").storage().redisOutage())
                .isEqualTo(StorageConfig.RedisOutage.ALLOW_LOCAL);
        assertThat(parse("storage: {redis: \"redis://cache\", redis_outage: fail_closed}").storage().redisOutage())
                .isEqualTo(StorageConfig.RedisOutage.FAIL_CLOSED);
    }

    @Test
    void aWrongRedisOutageIsAnErrorWithWhereAndWhatWouldDo() {
        assertThat(errors("storage: {redis: \"redis://cache\", redis_outage: allow-local}"))
                .contains("triage.yaml:1:49: storage.redis_outage: unknown value 'allow-local' (expected one of fail_closed, allow_local)")
                .contains("did you mean 'allow_local'");
        assertThat(errors("storage: {redis: \"redis://cache\", redis_outage: }"))
                .contains("storage.redis_outage: expected one of fail_closed, allow_local");
        assertThat(errors("storage: {redis: \"redis://cache\", redis_outage: [allow_local]}")).contains("storage.redis_outage");
        assertThat(errors("storage: {redis_outage: allow_local}")).contains("storage.redis_outage: applies only with storage.redis");
        assertThat(errors("storage:\n  ledger: \"sqlite:x.db\"\n  redis_outage: allow_local\n"))
                .contains("triage.yaml:3:17: storage.redis_outage: applies only with storage.redis");
    }
}
