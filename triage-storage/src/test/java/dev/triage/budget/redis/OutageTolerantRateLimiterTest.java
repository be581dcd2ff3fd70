package dev.triage.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.testing.Eventually;
import dev.triage.testing.TcpProxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-minute limits with {@code allow_local} on the machine's Redis, cut through a {@link TcpProxy}. */
class OutageTolerantRateLimiterTest {

    private final String prefix = "triage-test:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        proxy.close();
    }

    private record Instance(OutageTolerantRateLimiter limiter, InstanceHeartbeat heartbeat) {
    }

    private Instance instance() {
        RedisLink link = new RedisLink("redis://127.0.0.1:" + proxy.port() + "/0", Duration.ofSeconds(2));
        InstanceHeartbeat heartbeat = new InstanceHeartbeat(link, prefix + "instances", Duration.ofSeconds(1), Duration.ofSeconds(30));
        open.add(link);
        open.add(heartbeat);
        return new Instance(OutageTolerantRateLimiter.over(new RedisRateLimiter(link, prefix), heartbeat, Clock.systemUTC()), heartbeat);
    }

    private static int takes(OutageTolerantRateLimiter limiter, String key, long limit, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryTake(key, 1, limit).isEmpty()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void whileRedisIsAwayEachInstanceTakesTheCeilingOfItsShareAndRedisCountsItAfterwards() throws Exception {
        Instance a = instance();
        Instance b = instance();
        for (Instance i : List.of(a, b, a)) {
            assertThat(i.heartbeat.beat()).isTrue();
        }

        proxy.cut();
        // N = 2: ceil(9 / 2) = 5 each
        assertThat(takes(a.limiter, "key:app:rpm", 9, 20)).isEqualTo(5);
        assertThat(takes(b.limiter, "key:app:rpm", 9, 20)).isEqualTo(5);
        assertThat(a.limiter.localTakes()).isEqualTo(5);
        a.limiter.add("key:app:tpm", 600);
        assertThat(a.limiter.check("key:app:tpm", 1000)).as("600 of its 500").isPresent();
        assertThat(b.limiter.check("key:app:tpm", 1000)).as("b's minute is its own").isEmpty();

        proxy.restore();
        Eventually.await(() -> a.heartbeat.beat() && b.heartbeat.beat(), "both instances reach Redis again");
        assertThat(a.limiter.local()).isFalse();
        assertThat(b.limiter.local()).isFalse();
        // the ten taken locally are in Redis's minute now: nothing is left of a limit of 10
        assertThat(a.limiter.tryTake("key:app:rpm", 1, 10)).isPresent();
        assertThat(b.limiter.check("key:app:tpm", 1000)).as("a's 600 are shared").isEmpty();
        assertThat(b.limiter.check("key:app:tpm", 600)).isPresent();
    }

    @Test
    void anInstanceThatNeverCountedRefuses() {
        proxy.cut();
        Instance a = instance();
        assertThat(a.heartbeat.beat()).isFalse();
        assertThatThrownBy(() -> a.limiter.tryTake("key:app:rpm", 1, 10)).isInstanceOf(BudgetStoreUnavailableException.class);
        assertThatThrownBy(() -> a.limiter.add("key:app:tpm", 10)).isInstanceOf(BudgetStoreUnavailableException.class);
    }
}
