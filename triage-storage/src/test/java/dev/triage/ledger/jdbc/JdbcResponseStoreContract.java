package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.ledger.StoredResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the stored-responses table must do on every ledger database; subclasses supply a fresh one. */
abstract class JdbcResponseStoreContract {

    static final Instant T0 = Instant.parse("2026-03-14T09:26:53.589793238Z");
    static final Duration RETENTION = Duration.ofDays(30);

    private JdbcLedger ledger;
    JdbcResponseStore responses;

    abstract String freshDatabase() throws SQLException;

    void dropDatabase() throws SQLException {
    }

    abstract LedgerOptions connecting(LedgerOptions options);

    abstract Connection plainConnection() throws SQLException;

    @BeforeEach
    void openLedger() throws SQLException {
        ledger = JdbcLedger.open(freshDatabase(), connecting(LedgerOptions.defaults()));
        responses = ledger.responses();
    }

    @AfterEach
    void closeLedger() throws SQLException {
        try {
            ledger.close();
        } finally {
            dropDatabase();
        }
    }

    static StoredResponse stored(String id, String tenant, Instant at) {
        // A NUL escaped in JSON, as a client may send it: stored as text, it must come back unchanged.
        return new StoredResponse(id, tenant, "req_" + id.substring(5), "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"a\\u0000b\"}]",
                "{\"id\":\"" + id + "\",\"object\":\"response\",\"output\":[]}", at, at.plus(RETENTION));
    }

    @Test
    void aStoredResponseIsReadBackByItsTenantExactly() {
        StoredResponse r = stored("resp_aaaaaaaaaaaaaaaaaaaaaaaa", "key:team-a", T0);
        responses.save(r);

        StoredResponse back = responses.find("key:team-a", r.id(), T0.plusSeconds(1)).orElseThrow();
        assertThat(back.input()).isEqualTo(r.input());
        assertThat(back.response()).isEqualTo(r.response());
        assertThat(back.requestId()).isEqualTo(r.requestId());
        assertThat(back.createdAt()).isEqualTo(Dialect.toMillis(T0));
        assertThat(back.expiresAt()).isEqualTo(Dialect.toMillis(T0.plus(RETENTION)));
    }

    @Test
    void anotherTenantNeitherReadsNorDeletesIt() {
        StoredResponse r = stored("resp_bbbbbbbbbbbbbbbbbbbbbbbb", "key:team-a", T0);
        responses.save(r);

        assertThat(responses.find("key:team-b", r.id(), T0)).isEmpty();
        assertThat(responses.find("open", r.id(), T0)).isEmpty();
        assertThat(responses.delete("key:team-b", r.id(), T0)).isFalse();
        assertThat(responses.find("key:team-a", r.id(), T0)).isPresent();
        assertThat(responses.delete("key:team-a", r.id(), T0)).isTrue();
        assertThat(responses.find("key:team-a", r.id(), T0)).isEmpty();
        assertThat(responses.delete("key:team-a", r.id(), T0)).isFalse();
    }

    @Test
    void anExpiredResponseIsNotServedAndIsSweptWithOnlyTheOtherExpiredOnes() throws SQLException {
        responses.save(stored("resp_cccccccccccccccccccccccc", "open", T0));
        responses.save(stored("resp_dddddddddddddddddddddddd", "open", T0.plus(Duration.ofDays(1))));
        Instant expiry = T0.plus(RETENTION);

        assertThat(responses.find("open", "resp_cccccccccccccccccccccccc", expiry.minusMillis(1))).isPresent();
        assertThat(responses.find("open", "resp_cccccccccccccccccccccccc", expiry)).isEmpty();
        assertThat(responses.delete("open", "resp_cccccccccccccccccccccccc", expiry)).isFalse();

        assertThat(responses.deleteExpired(expiry)).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);
        assertThat(responses.find("open", "resp_dddddddddddddddddddddddd", expiry)).isPresent();
        assertThat(responses.deleteExpired(expiry.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(rows()).isZero();
    }

    private long rows() throws SQLException {
        try (Connection c = plainConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM stored_responses")) {
            r.next();
            return r.getLong(1);
        }
    }
}
