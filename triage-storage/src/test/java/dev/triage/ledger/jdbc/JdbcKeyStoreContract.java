package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.chat.Money;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeySecrets;
import dev.triage.keys.KeyStore.Issued;
import dev.triage.keys.NewKey;
import dev.triage.keys.VirtualKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the virtual-key store must do on every ledger database; subclasses supply a fresh one. */
abstract class JdbcKeyStoreContract {

    static final Instant T0 = Instant.parse("2026-03-14T09:26:53.589793238Z");
    static final Instant STORED_T0 = Dialect.toMillis(T0);

    private JdbcLedger ledger;
    JdbcKeyStore keys;

    /** Makes a fresh, empty database for this test; returns its URL. */
    abstract String freshDatabase() throws SQLException;

    /** Removes the test's database once the ledger is closed, if it outlives the test. */
    void dropDatabase() throws SQLException {
    }

    /** Options this database needs (credentials). */
    abstract LedgerOptions connecting(LedgerOptions options);

    /** A plain connection to the same database, to look at what is stored. */
    abstract Connection plainConnection() throws SQLException;

    @BeforeEach
    void openLedger() throws SQLException {
        ledger = JdbcLedger.open(freshDatabase(), connecting(LedgerOptions.defaults()));
        keys = ledger.keys();
    }

    @AfterEach
    void closeLedger() throws SQLException {
        try {
            ledger.close();
        } finally {
            dropDatabase();
        }
    }

    static NewKey plain(String name) {
        return new NewKey(name, null, null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null);
    }

    static NewKey expiring(String name, Instant at) {
        return new NewKey(name, null, null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, at);
    }

    @Test
    void aCreatedKeyIsListedWithEveryFieldAsGivenAndItsSecretsPrefix() {
        NewKey full = new NewKey("ci-bot", "ml platform", Money.ofUsd("12345.678901"), KeyPeriod.MONTH,
                Set.of("gpt-4.1-mini", "claude-haiku-4.5"), Set.of("cascade"), 60, 120_000, Instant.parse("2027-01-01T00:00:00Z"));

        Issued issued = keys.create(full, T0);
        keys.create(plain("a-first"), T0.plusSeconds(1));

        VirtualKey expected = new VirtualKey("ci-bot", "ml platform", KeySecrets.visiblePrefix(issued.secret()),
                new Money(12_345_678_901_000_000L), KeyPeriod.MONTH, Set.of("claude-haiku-4.5", "gpt-4.1-mini"),
                Set.of("cascade"), 60, 120_000, Instant.parse("2027-01-01T00:00:00Z"), STORED_T0, null);
        assertThat(issued.key()).isEqualTo(expected);
        assertThat(KeySecrets.idOf(issued.secret())).isPresent();
        assertThat(keys.list()).extracting(VirtualKey::name).containsExactly("a-first", "ci-bot");
        assertThat(keys.list().get(1)).isEqualTo(expected);
        VirtualKey sparse = keys.list().getFirst();
        assertThat(sparse.team()).isNull();
        assertThat(sparse.budget()).isNull();
        assertThat(sparse.models()).isEmpty();
        assertThat(sparse.rpm()).isNull();
        assertThat(sparse.expiresAt()).isNull();
        assertThat(issued.toString()).doesNotContain(issued.secret());
    }

    @Test
    void aZeroBudgetIsKeptApartFromNoBudget() {
        keys.create(new NewKey("frozen", null, Money.ZERO, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null), T0);

        assertThat(keys.list().getFirst().budget()).isEqualTo(Money.ZERO);
    }

    @Test
    void theIssuedSecretAuthenticatesAsItsKey() {
        Issued issued = keys.create(plain("app"), T0);

        assertThat(keys.authenticate(issued.secret(), T0.plusSeconds(1))).contains(issued.key());
    }

    @Test
    void aWrongSecretWithTheRightIdIsRefused() {
        Issued issued = keys.create(plain("app"), T0);
        String secret = issued.secret();
        String wrong = secret.substring(0, secret.length() - 1) + (secret.endsWith("a") ? "b" : "a");

        assertThat(keys.authenticate(wrong, T0)).isEmpty();
        assertThat(keys.authenticate(issued.secret(), T0)).isPresent();
    }

    @Test
    void malformedAndUnknownSecretsAreRefused() {
        Issued issued = keys.create(plain("app"), T0);
        String secret = issued.secret();

        for (String presented : new String[] {null, "", "tk_", "sk-abcdefghijklmnopqrstuvwxyz0123456789", secret + "x",
                secret.substring(1), secret.toUpperCase(), " " + secret, secret.replace('_', '-'), KeySecrets.newSecret()}) {
            assertThat(keys.authenticate(presented, T0)).as(String.valueOf(presented)).isEmpty();
        }
    }

    @Test
    void aRevokedKeyStopsAtOnceAndIsListedAsRevoked() {
        Issued issued = keys.create(plain("app"), T0);
        Instant revokedAt = T0.plusSeconds(60);

        assertThat(keys.revoke("app", revokedAt)).isTrue();

        assertThat(keys.authenticate(issued.secret(), revokedAt)).isEmpty();
        assertThat(keys.list().getFirst().revokedAt()).isEqualTo(Dialect.toMillis(revokedAt));
        assertThat(keys.anyActive(revokedAt)).isFalse();
        assertThat(keys.revoke("app", revokedAt.plusSeconds(1))).as("already revoked").isFalse();
        assertThat(keys.list().getFirst().revokedAt()).as("the first revocation stays").isEqualTo(Dialect.toMillis(revokedAt));
        assertThat(keys.revoke("nobody", revokedAt)).isFalse();
    }

    @Test
    void aKeyWorksUntilItExpiresAndNotAfter() {
        Instant expires = Instant.parse("2026-04-01T00:00:00Z");
        Issued issued = keys.create(expiring("app", expires), T0);

        assertThat(keys.authenticate(issued.secret(), expires.minusMillis(1))).isPresent();
        assertThat(keys.anyActive(expires.minusMillis(1))).isTrue();
        assertThat(keys.authenticate(issued.secret(), expires)).isEmpty();
        assertThat(keys.anyActive(expires)).isFalse();
        assertThat(keys.revoke("app", expires)).as("an expired key is not active").isFalse();
    }

    @Test
    void anyActiveAsksWhetherOneKeyIsNeitherRevokedNorExpired() {
        assertThat(keys.anyActive(T0)).isFalse();
        keys.create(expiring("old", T0.plusSeconds(10)), T0);
        keys.create(plain("revoked"), T0);
        keys.revoke("revoked", T0);

        assertThat(keys.anyActive(T0)).isTrue();
        assertThat(keys.anyActive(T0.plusSeconds(10))).isFalse();
    }

    @Test
    void aRotatedOutSecretWorksUntilTheGracePeriodEndsAndNotAfter() {
        Issued first = keys.create(plain("app"), T0);
        Instant rotatedAt = T0.plus(Duration.ofDays(3));

        Issued second = keys.rotate("app", Duration.ofMinutes(60), rotatedAt);

        Instant graceEnds = Dialect.toMillis(rotatedAt).plus(Duration.ofMinutes(60));
        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThat(second.key().prefix()).isEqualTo(KeySecrets.visiblePrefix(second.secret()));
        assertThat(keys.authenticate(second.secret(), rotatedAt)).contains(second.key());
        assertThat(keys.authenticate(first.secret(), graceEnds.minusMillis(1))).as("old, in grace").contains(second.key());
        assertThat(keys.authenticate(first.secret(), graceEnds)).as("old, grace over").isEmpty();
        assertThat(keys.authenticate(second.secret(), graceEnds.plus(Duration.ofDays(365)))).isPresent();
        assertThat(keys.list()).containsExactly(second.key());
        assertThat(second.key().createdAt()).isEqualTo(STORED_T0);
    }

    @Test
    void aSecondRotationCutsAnEarlierGracePeriodShortButNeverLengthensIt() {
        Issued first = keys.create(plain("app"), T0);
        Issued second = keys.rotate("app", Duration.ofHours(24), T0.plusSeconds(60));

        Issued third = keys.rotate("app", Duration.ZERO, T0.plusSeconds(120));

        assertThat(keys.authenticate(first.secret(), T0.plusSeconds(120))).isEmpty();
        assertThat(keys.authenticate(second.secret(), T0.plusSeconds(120))).isEmpty();
        assertThat(keys.authenticate(third.secret(), T0.plusSeconds(120))).isPresent();

        Issued fourth = keys.rotate("app", Duration.ofDays(30), T0.plusSeconds(180));
        assertThat(keys.authenticate(second.secret(), T0.plusSeconds(180))).as("not brought back").isEmpty();
        assertThat(keys.authenticate(third.secret(), T0.plus(Duration.ofDays(29)))).isPresent();
        assertThat(keys.authenticate(fourth.secret(), T0.plus(Duration.ofDays(29)))).isPresent();
    }

    @Test
    void revokingStopsSecretsStillInTheirGracePeriod() {
        Issued first = keys.create(plain("app"), T0);
        keys.rotate("app", Duration.ofHours(1), T0);

        keys.revoke("app", T0.plusSeconds(1));

        assertThat(keys.authenticate(first.secret(), T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void onlyAnActiveKeyCanBeRotatedAndAFailedRotationChangesNothing() {
        keys.create(plain("revoked"), T0);
        keys.revoke("revoked", T0);
        Issued expired = keys.create(expiring("expired", T0.plusSeconds(1)), T0);
        List<VirtualKey> before = keys.list();

        for (String name : List.of("nobody", "revoked", "expired")) {
            assertThatThrownBy(() -> keys.rotate(name, Duration.ofMinutes(5), T0.plusSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("there is no active key named '" + name + "'");
        }
        assertThatThrownBy(() -> keys.rotate("expired", Duration.ofMinutes(-1), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be negative");
        assertThat(keys.list()).isEqualTo(before);
        assertThat(keys.authenticate(expired.secret(), T0)).isPresent();
    }

    @Test
    void aNameIsTakenForGoodEvenOnceItsKeyIsRevoked() {
        Issued original = keys.create(plain("app"), T0);
        NewKey again = new NewKey("app", "other team", Money.ofUsd("1"), KeyPeriod.DAY, Set.of(), Set.of(), 5, null, null);

        assertThatThrownBy(() -> keys.create(again, T0.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a key named 'app' exists already");
        keys.revoke("app", T0.plusSeconds(2));
        assertThatThrownBy(() -> keys.create(again, T0.plusSeconds(3))).isInstanceOf(IllegalArgumentException.class);

        assertThat(keys.list()).hasSize(1);
        assertThat(keys.list().getFirst().team()).isNull();
        assertThat(keys.list().getFirst().prefix()).isEqualTo(original.key().prefix());
    }

    @Test
    void manyThreadsAuthenticateAtOnceAndEachGetsItsOwnAnswer() throws Exception {
        List<Issued> issued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            issued.add(keys.create(plain("app-" + i), T0));
        }
        List<Future<Boolean>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            for (int n = 0; n < 800; n++) {
                Issued key = issued.get(n % issued.size());
                boolean genuine = n % 3 != 0;
                String presented = genuine ? key.secret() : key.secret().substring(0, 12) + "0".repeat(32);
                answers.add(threads.submit(() -> {
                    Optional<VirtualKey> found = keys.authenticate(presented, T0);
                    return genuine ? found.equals(Optional.of(key.key())) : found.isEmpty();
                }));
            }
        }
        for (Future<Boolean> answer : answers) {
            assertThat(answer.get()).isTrue();
        }
    }

    @Test
    void rotationsAtOnceTakeTurnsAndLeaveOneCurrentSecret() throws Exception {
        keys.create(plain("app"), T0);
        List<Future<Issued>> rotations = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int n = 0; n < 8; n++) {
                rotations.add(threads.submit(() -> keys.rotate("app", Duration.ZERO, T0)));
            }
        }

        Instant after = T0.plusMillis(1);
        List<String> working = new ArrayList<>();
        for (Future<Issued> rotation : rotations) {
            Issued issued = rotation.get();
            if (keys.authenticate(issued.secret(), after).isPresent()) {
                working.add(issued.key().prefix());
            }
        }
        assertThat(working).hasSize(1);
        assertThat(keys.list().getFirst().prefix()).isEqualTo(working.getFirst());
    }

    @Test
    void noTableHoldsAnIssuedSecret() throws SQLException {
        List<String> secrets = new ArrayList<>();
        secrets.add(keys.create(new NewKey("app", "team", Money.ofUsd("5"), KeyPeriod.DAY, Set.of("m"), Set.of("r"),
                1, 2, T0.plusSeconds(3600)), T0).secret());
        secrets.add(keys.rotate("app", Duration.ofMinutes(60), T0).secret());
        secrets.add(keys.create(plain("other"), T0).secret());

        String everything = dumpOfEveryTable();

        assertThat(everything).contains("virtual_key_secrets: ").contains(KeySecrets.visiblePrefix(secrets.getFirst()));
        for (String secret : secrets) {
            // The id is shown in lists; the 32 random characters after it are the secret.
            assertThat(everything).doesNotContain(secret).doesNotContain(secret.substring(12));
        }
    }

    /** Every column of every row of every table, as text: {@code table: v1 | v2 | …}, a line each. */
    private String dumpOfEveryTable() throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection c = plainConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet t = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (t.next()) {
                    tables.add(t.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("virtual_keys", "virtual_key_secrets", "ledger_attempts");
            for (String table : tables) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        dump.append(table).append(": ");
                        for (int i = 1; i <= columns; i++) {
                            dump.append(r.getString(i)).append(" | ");
                        }
                        dump.append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }
}
