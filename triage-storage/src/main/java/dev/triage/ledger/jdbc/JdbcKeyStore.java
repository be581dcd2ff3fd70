package dev.triage.ledger.jdbc;

import dev.triage.chat.Money;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeySecrets;
import dev.triage.keys.KeyStore;
import dev.triage.keys.NewKey;
import dev.triage.keys.VirtualKey;
import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.provider.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Virtual keys in the ledger database: {@code virtual_keys} and {@code virtual_key_secrets} (migration V6).
 *
 * <p>A secret reaches neither the database nor a log: its row holds the secret's id (the 8 characters after
 * {@code tk_}, which finds the row), a random salt and SHA-256(salt ‖ secret). A key has one current secret
 * ({@code valid_until} null); rotating adds a new one and dates the others to the end of the grace period.
 * Times are stored to the millisecond, and the keys this store returns carry them so.
 */
public final class JdbcKeyStore implements KeyStore {

    private static final String KEY_COLUMNS = "k.name, k.team, k.budget_picousd, k.period, k.models, k.routes, k.rpm, "
            + "k.tpm, k.expires_at, k.created_at, k.revoked_at, "
            // The prefix of the key's current secret, whichever of its secrets found the row.
            + "(SELECT c.prefix FROM virtual_key_secrets c WHERE c.name = k.name AND c.valid_until IS NULL) AS current_prefix";
    private static final String ACTIVE = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
    /** Ids are 8 random base-62 characters: a clash is rare, and a new secret is drawn for it. */
    private static final int ID_DRAWS = 5;

    private final DataSource database;
    private final Dialect dialect;

    JdbcKeyStore(DataSource database, Dialect dialect) {
        this.database = database;
        this.dialect = dialect;
    }

    @Override
    public Optional<VirtualKey> authenticate(String presented, Instant now) {
        Objects.requireNonNull(now, "now");
        Optional<String> id = KeySecrets.idOf(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT s.salt, s.hash, "
                + "s.valid_until, " + KEY_COLUMNS + " FROM virtual_key_secrets s JOIN virtual_keys k ON k.name = s.name "
                + "WHERE s.key_id = ?")) {
            s.setString(1, id.get());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !KeySecrets.matches(presented, r.getString("salt"), r.getString("hash"))) {
                    return Optional.empty();
                }
                Instant validUntil = timeOrNull(r, "valid_until");
                VirtualKey key = key(r);
                return key.active(now) && (validUntil == null || now.isBefore(validUntil)) ? Optional.of(key) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    @Override
    public Issued create(NewKey key, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(now, "now");
        try {
            return Transaction.run(database, c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO virtual_keys (name, team, budget_picousd, period, "
                        + "models, routes, rpm, tpm, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING")) {
                    int i = 0;
                    s.setString(++i, key.name());
                    s.setString(++i, key.team());
                    s.setObject(++i, key.budget() == null ? null : key.budget().picos(), Types.BIGINT);
                    s.setString(++i, key.period().wireName());
                    s.setString(++i, joined(key.models()));
                    s.setString(++i, joined(key.routes()));
                    s.setObject(++i, key.rpm(), Types.INTEGER);
                    s.setObject(++i, key.tpm(), Types.INTEGER);
                    bindTimeOrNull(s, ++i, key.expiresAt());
                    dialect.bindTime(s, ++i, now);
                    if (s.executeUpdate() == 0) {
                        throw new IllegalArgumentException("a key named '" + key.name() + "' exists already (revoked "
                                + "ones keep their name)");
                    }
                }
                String secret = insertSecret(c, key.name(), now);
                return new Issued(read(c, key.name()), secret);
            });
        } catch (SQLException e) {
            throw failed("create", e);
        }
    }

    @Override
    public List<VirtualKey> list() {
        List<VirtualKey> keys = new ArrayList<>();
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM virtual_keys k");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                keys.add(key(r));
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
        // Sorted here: the databases' collations would order names differently.
        keys.sort(Comparator.comparing(VirtualKey::name));
        return keys;
    }

    @Override
    public boolean revoke(String name, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(now, "now");
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE virtual_keys SET revoked_at = ? WHERE name = ? AND " + ACTIVE)) {
            dialect.bindTime(s, 1, now);
            s.setString(2, name);
            dialect.bindTime(s, 3, now);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("revoke", e);
        }
    }

    @Override
    public Issued rotate(String name, Duration grace, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(now, "now");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative, got " + grace);
        }
        Instant oldUntil = now.plus(grace);
        try {
            return Transaction.run(database, c -> {
                // A write to the key's row first: it locks the row (on SQLite, the database), so two rotations
                // at once take turns instead of both leaving a current secret.
                try (PreparedStatement s = c.prepareStatement("UPDATE virtual_keys SET revoked_at = NULL WHERE name = ? AND "
                        + ACTIVE)) {
                    s.setString(1, name);
                    dialect.bindTime(s, 2, now);
                    if (s.executeUpdate() == 0) {
                        throw new IllegalArgumentException("there is no active key named '" + name + "'");
                    }
                }
                // Secrets still in an earlier grace period are cut to this one if it ends sooner.
                try (PreparedStatement s = c.prepareStatement("UPDATE virtual_key_secrets SET valid_until = ? "
                        + "WHERE name = ? AND (valid_until IS NULL OR valid_until > ?)")) {
                    dialect.bindTime(s, 1, oldUntil);
                    s.setString(2, name);
                    dialect.bindTime(s, 3, oldUntil);
                    s.executeUpdate();
                }
                String secret = insertSecret(c, name, now);
                return new Issued(read(c, name), secret);
            });
        } catch (SQLException e) {
            throw failed("rotate", e);
        }
    }

    @Override
    public boolean anyActive(Instant now) {
        Objects.requireNonNull(now, "now");
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM virtual_keys WHERE " + ACTIVE + " LIMIT 1")) {
            dialect.bindTime(s, 1, now);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    /** Stores a new secret of key {@code name} as its current one; returns the secret, which is stored nowhere. */
    private String insertSecret(Connection c, String name, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO virtual_key_secrets (key_id, name, salt, hash, prefix, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING")) {
            for (int draw = 0; draw < ID_DRAWS; draw++) {
                String secret = KeySecrets.newSecret();
                String salt = KeySecrets.newSalt();
                int i = 0;
                s.setString(++i, KeySecrets.idOf(secret).orElseThrow());
                s.setString(++i, name);
                s.setString(++i, salt);
                s.setString(++i, KeySecrets.hash(salt, secret));
                s.setString(++i, KeySecrets.visiblePrefix(secret));
                dialect.bindTime(s, ++i, now);
                if (s.executeUpdate() == 1) {
                    return secret;
                }
            }
        }
        throw new IllegalStateException(ID_DRAWS + " new key ids in a row were taken; the random source is broken");
    }

    private VirtualKey read(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM virtual_keys k WHERE k.name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return key(r);
            }
        }
    }

    private VirtualKey key(ResultSet r) throws SQLException {
        long picos = r.getLong("budget_picousd");
        Money budget = r.wasNull() ? null : new Money(picos);
        return new VirtualKey(r.getString("name"), r.getString("team"), r.getString("current_prefix"), budget,
                KeyPeriod.parse(r.getString("period")), split(r.getString("models")), split(r.getString("routes")),
                intOrNull(r, "rpm"), intOrNull(r, "tpm"), timeOrNull(r, "expires_at"), dialect.readTime(r, "created_at"),
                timeOrNull(r, "revoked_at"));
    }

    private static String joined(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(","));
    }

    private static Set<String> split(String joined) {
        return joined.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(joined.split(",")));
    }

    private static Integer intOrNull(ResultSet r, String column) throws SQLException {
        int n = r.getInt(column);
        return r.wasNull() ? null : n;
    }

    private Instant timeOrNull(ResultSet r, String column) throws SQLException {
        return r.getObject(column) == null ? null : dialect.readTime(r, column);
    }

    private void bindTimeOrNull(PreparedStatement s, int index, Instant time) throws SQLException {
        if (time == null) {
            s.setNull(index, dialect == Dialect.SQLITE ? Types.BIGINT : Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            dialect.bindTime(s, index, time);
        }
    }

    private static LedgerUnavailableException failed(String what, SQLException e) {
        return new LedgerUnavailableException("cannot " + what + " virtual keys: " + Secrets.redact(e.getMessage()), e);
    }
}
