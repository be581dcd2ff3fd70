package dev.triage.ledger.jdbc;

import dev.triage.ledger.LedgerUnavailableException;
import dev.triage.ledger.ResponseStore;
import dev.triage.ledger.StoredResponse;
import dev.triage.provider.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stored Responses API answers in the ledger database: {@code stored_responses} (migration V12). Every read and
 * delete names the tenant, so one tenant's id is nothing to another; an expired row is never returned, and
 * {@link #deleteExpired} removes them.
 */
public final class JdbcResponseStore implements ResponseStore {

    private final DataSource database;
    private final Dialect dialect;

    JdbcResponseStore(DataSource database, Dialect dialect) {
        this.database = database;
        this.dialect = dialect;
    }

    @Override
    public void save(StoredResponse r) {
        Objects.requireNonNull(r, "response");
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO stored_responses "
                + "(id, tenant, request_id, input_items, response, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, r.id());
            s.setString(2, r.tenant());
            s.setString(3, r.requestId());
            s.setString(4, r.input());
            s.setString(5, r.response());
            dialect.bindTime(s, 6, r.createdAt());
            dialect.bindTime(s, 7, r.expiresAt());
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed("store", e);
        }
    }

    @Override
    public Optional<StoredResponse> find(String tenant, String id, Instant now) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT id, tenant, request_id, "
                + "input_items, response, created_at, expires_at FROM stored_responses WHERE id = ? AND tenant = ? AND expires_at > ?")) {
            s.setString(1, id);
            s.setString(2, tenant);
            dialect.bindTime(s, 3, now);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredResponse(r.getString("id"), r.getString("tenant"), r.getString("request_id"),
                        r.getString("input_items"), r.getString("response"), dialect.readTime(r, "created_at"),
                        dialect.readTime(r, "expires_at")));
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    @Override
    public boolean delete(String tenant, String id, Instant now) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM stored_responses WHERE id = ? AND tenant = ? AND expires_at > ?")) {
            s.setString(1, id);
            s.setString(2, tenant);
            dialect.bindTime(s, 3, now);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("delete", e);
        }
    }

    @Override
    public int deleteExpired(Instant now) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM stored_responses WHERE expires_at <= ?")) {
            dialect.bindTime(s, 1, now);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed("delete expired", e);
        }
    }

    private static LedgerUnavailableException failed(String what, SQLException e) {
        return new LedgerUnavailableException("cannot " + what + " stored responses: " + Secrets.redact(e.getMessage()), e);
    }
}
