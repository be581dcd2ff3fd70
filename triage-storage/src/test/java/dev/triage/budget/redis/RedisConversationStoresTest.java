package dev.triage.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.caching.SessionState;
import dev.triage.context.SharedContext;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions' warm caches and shared contexts on the machine's Redis: shared by instances, forgotten when Redis is away. */
class RedisConversationStoresTest {

    private final String prefix = "triage-test:" + UUID.randomUUID() + ":";
    private final RedisLink one = new RedisLink("redis://127.0.0.1:6379/0", Duration.ofSeconds(2));
    private final RedisLink two = new RedisLink("redis://127.0.0.1:6379/0", Duration.ofSeconds(2));
    private final RedisLink away = new RedisLink("redis://127.0.0.1:1/0", Duration.ofMillis(200));

    @AfterEach
    void close() {
        one.close();
        two.close();
        away.close();
    }

    @Test
    void oneInstanceSeesTheSessionAnotherRecordedAndTheKeyExpires() {
        Instant warmed = Instant.parse("2026-12-06T12:00:00.123Z");
        new RedisSessionStore(one, prefix).put("s1", new SessionState("claude-sonnet-4.5", warmed, 12_345));

        assertThat(new RedisSessionStore(two, prefix).get("s1")).contains(new SessionState("claude-sonnet-4.5", warmed, 12_345));
        assertThat(new RedisSessionStore(two, prefix).get("s2")).isEmpty();
        long ttl = one.call(r -> r.ttl(prefix + "s1"));
        assertThat(ttl).isBetween(3_500L, 3_600L);
    }

    @Test
    void aSharedContextIsReadBackWhole() {
        SharedContext c = new SharedContext(14, "ab12", "USER PROFILE: Mia Li, mia_li_3668\nFACTS: HAT136 on 2024-05-20, €250 “certificate”");
        new RedisContextStore(one, prefix).put("s1", c);
        assertThat(new RedisContextStore(two, prefix).get("s1")).contains(c);
        assertThat((long) one.call(r -> r.ttl(prefix + "s1"))).isBetween(86_000L, 86_400L);
        one.call(r -> r.set(prefix + "bad", "x\ntext"));
        assertThat(new RedisContextStore(two, prefix).get("bad")).isEmpty();
    }

    @Test
    void withRedisAwayTheyForgetAndNeverThrow() {
        RedisSessionStore sessions = new RedisSessionStore(away, prefix);
        sessions.put("s1", new SessionState("m", Instant.now(), 1));
        assertThat(sessions.get("s1")).isEmpty();
        RedisContextStore contexts = new RedisContextStore(away, prefix);
        contexts.put("s1", new SharedContext(1, "h", "t"));
        assertThat(contexts.get("s1")).isEmpty();
    }
}
