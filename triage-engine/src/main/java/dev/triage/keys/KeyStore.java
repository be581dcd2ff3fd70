package dev.triage.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where virtual keys live (the ledger database). A key's secret is shown once, when it is created or
 * rotated, and stored only as a salted hash ({@link KeySecrets}).
 */
public interface KeyStore {

    /**
     * The key a client presented, if it is one of ours and may be used at {@code now}: not revoked, not
     * expired, and either its current secret or a rotated-out one still in its grace period.
     */
    Optional<VirtualKey> authenticate(String presented, Instant now);

    /**
     * Creates a key; its secret is in the result and nowhere else.
     *
     * @throws IllegalArgumentException if a key of that name exists (revoked ones included)
     */
    Issued create(NewKey key, Instant now);

    /** Every key, revoked and expired ones included, by name; no secrets. */
    List<VirtualKey> list();

    /** Revokes a key: every secret of it stops working at once. False if there is no active key of that name. */
    boolean revoke(String name, Instant now);

    /**
     * Gives a key a new secret; the old one keeps working for {@code grace}, then stops.
     *
     * @throws IllegalArgumentException if there is no active key of that name
     */
    Issued rotate(String name, Duration grace, Instant now);

    /** Whether any key is active at {@code now}: then the gateway asks every request for a key. */
    boolean anyActive(Instant now);

    /** A key and its secret, which is shown once. */
    record Issued(VirtualKey key, String secret) {
        @Override
        public String toString() {
            return "Issued[key=" + key + ", secret=[redacted]]";
        }
    }
}
