package dev.triage.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-05T10:00:00Z").toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

    @Test
    void takesUpToTheLimitThenSaysHowLongToWait() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryTake("k:rpm", 1, 3)).isEmpty();
        }
        // the 3 count in full until the next minute starts, then slide out: 1 more fits once a third has, 80 s from now
        assertThat(limiter.tryTake("k:rpm", 1, 3)).hasValue(Duration.ofSeconds(80));
        assertThat(limiter.tryTake("other:rpm", 1, 3)).as("keys are apart").isEmpty();
    }

    @Test
    void theSlidingMinuteWeighsThePreviousMinuteByWhatIsLeftOfIt() {
        now.addAndGet(Duration.ofSeconds(50).toMillis());
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryTake("k", 1, 10)).isEmpty();
        }
        // 10 s later, a new minute has just begun: 10 x (1 - 0/60) still counts in full
        now.addAndGet(Duration.ofSeconds(10).toMillis());
        assertThat(limiter.tryTake("k", 1, 10)).isPresent();
        // half-way through the new minute, half of the 10 still counts: 5 more fit, not 6
        now.addAndGet(Duration.ofSeconds(30).toMillis());
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryTake("k", 1, 10)).as("take %d", i).isEmpty();
        }
        assertThat(limiter.tryTake("k", 1, 10)).isPresent();
        // two minutes on, everything is forgotten
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(limiter.tryTake("k", 10, 10)).isEmpty();
    }

    @Test
    void tokensAreCheckedBeforeAndAddedAfterAndTheWaitIsWhenTheyFallUnder() {
        assertThat(limiter.check("k:tpm", 1000)).isEmpty();
        limiter.add("k:tpm", 1500);
        Duration wait = limiter.check("k:tpm", 1000).orElseThrow();
        // 1,500 in this minute: under 1,000 once more than a third of it has slid out of the last 60 s
        assertThat(wait).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(81));
        now.addAndGet(wait.toMillis());
        assertThat(limiter.check("k:tpm", 1000)).isEmpty();
    }

    @Test
    void whatWasUsedInTheSlidingMinuteIsReadBackRoundedUp() {
        limiter.add("k:tpm", 1001);
        limiter.tryTake("k:rpm", 3, 10);
        limiter.add("idle", 0);
        assertThat(limiter.used()).isEqualTo(Map.of("k:tpm", 1001L, "k:rpm", 3L));
        // a minute and a half on: half of the previous minute still counts, 500.5 of 1001 and 1.5 of 3
        now.addAndGet(Duration.ofSeconds(90).toMillis());
        assertThat(limiter.used()).isEqualTo(Map.of("k:tpm", 501L, "k:rpm", 2L));
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(limiter.used()).isEmpty();
    }
}
