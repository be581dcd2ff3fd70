package dev.triage.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.budget.BudgetStoreUnavailableException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared rate limiter on the machine's Redis, each test under its own key prefix. */
class RedisRateLimiterTest {

    private final String prefix = "triage-test:" + UUID.randomUUID() + ":";
    private final RedisLink one = new RedisLink("redis://127.0.0.1:6379/0", Duration.ofSeconds(2));
    private final RedisLink two = new RedisLink("redis://127.0.0.1:6379/0", Duration.ofSeconds(2));

    @AfterEach
    void close() {
        one.close();
        two.close();
    }

    @Test
    void twoInstancesTakingAtOnceGetExactlyTheLimitBetweenThem() throws Exception {
        RedisRateLimiter a = new RedisRateLimiter(one, prefix);
        RedisRateLimiter b = new RedisRateLimiter(two, prefix);
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 200; i++) {
            RedisRateLimiter l = i % 2 == 0 ? a : b;
            pool.submit(() -> {
                if (l.tryTake("key:app:rpm", 1, 50).isEmpty()) {
                    granted.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        // the previous minute is empty, so within one minute exactly the limit is granted (a test crossing
        // a minute boundary may see a little more: the new minute weighs the old one by what is left of it)
        assertThat(granted.get()).isBetween(50, 100);
        assertThat(a.tryTake("key:app:rpm", 1, 50)).hasValueSatisfying(w -> assertThat(w).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(120)));
    }

    @Test
    void tokensAddedOnOneInstanceAreCheckedOnAnother() {
        RedisRateLimiter a = new RedisRateLimiter(one, prefix);
        RedisRateLimiter b = new RedisRateLimiter(two, prefix);
        assertThat(b.check("key:app:tpm", 1000)).isEmpty();
        a.add("key:app:tpm", 1200);
        assertThat(b.check("key:app:tpm", 1000)).hasValueSatisfying(w -> assertThat(w).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(120)));
        assertThat(b.check("key:app:tpm", 5000)).isEmpty();
    }

    @Test
    void anUnreachableRedisIsSaidSo() {
        RedisLink nowhere = new RedisLink("redis://127.0.0.1:1/0", Duration.ofMillis(500));
        try {
            assertThatThrownBy(() -> new RedisRateLimiter(nowhere, prefix).tryTake("k", 1, 1))
                    .isInstanceOf(BudgetStoreUnavailableException.class);
        } finally {
            nowhere.close();
        }
    }
}
