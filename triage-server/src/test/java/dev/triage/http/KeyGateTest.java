package dev.triage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.budget.InMemoryBudgetStore;
import dev.triage.keys.InMemoryRateLimiter;
import dev.triage.keys.KeyBudgets;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeySecrets;
import dev.triage.keys.KeyStore;
import dev.triage.keys.NewKey;
import dev.triage.keys.VirtualKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gate's memory of lookups and what it does while the key store (the ledger database) cannot be
 * read; the store here answers from one known key or throws, as the database would when it is away.
 */
class KeyGateTest {

    private final String secret = KeySecrets.newSecret();
    private final VirtualKey key = new VirtualKey("app", null, KeySecrets.visiblePrefix(secret), null, KeyPeriod.DAY, Set.of(),
            Set.of(), null, null, null, Instant.EPOCH, null);
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final KeyStore store = new KeyStore() {
        @Override
        public Optional<VirtualKey> authenticate(String presented, Instant now) {
            lookups.incrementAndGet();
            check();
            return presented.equals(secret) ? Optional.of(key) : Optional.empty();
        }

        @Override
        public boolean anyActive(Instant now) {
            check();
            return true;
        }

        @Override
        public Issued create(NewKey k, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<VirtualKey> list() {
            return List.of(key);
        }

        @Override
        public boolean revoke(String name, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Issued rotate(String name, Duration grace, Instant now) {
            throw new UnsupportedOperationException();
        }

        private void check() {
            if (down.get()) {
                throw new IllegalStateException("database unavailable");
            }
        }
    };
    private final KeyGate gate = new KeyGate(store, new KeyBudgets(new InMemoryBudgetStore(), Clock.systemUTC()),
            new InMemoryRateLimiter(Clock.systemUTC()), Clock.systemUTC(), nanos::get);

    @Test
    void aLookupIsRememberedForFiveSeconds() {
        assertThat(gate.authenticate(secret)).contains(key);
        assertThat(gate.authenticate(secret)).contains(key);
        assertThat(lookups).hasValue(1);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(gate.authenticate(secret)).contains(key);
        assertThat(lookups).hasValue(2);
        assertThat(gate.authenticate("not-a-key")).isEmpty();
        assertThat(lookups).as("malformed keys never reach the store").hasValue(2);
    }

    @Test
    void whileTheStoreIsAwayKnownKeysKeepTheirAnswerAndUnknownOnesAre503() {
        assertThat(gate.authenticate(secret)).contains(key);
        assertThat(gate.required()).isTrue();
        down.set(true);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());

        assertThat(gate.authenticate(secret)).contains(key);
        assertThat(gate.required()).isTrue();
        assertThatThrownBy(() -> gate.authenticate(KeySecrets.newSecret())).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("ledger_unavailable");
        });
    }
}
