package dev.triage.ledger.jdbc;

import com.zaxxer.hikari.HikariConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.sqlite.SQLiteException;

/** What differs between the databases the ledger runs on: SQL, time columns, pool settings, error codes. */
enum Dialect {

    SQLITE("classpath:db/migration/sqlite", "INSERT OR IGNORE INTO %s (%s) VALUES (%s)") {
        @Override
        void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException {
            statement.setLong(index, toMillis(time).toEpochMilli());
        }

        @Override
        Instant readTime(ResultSet rows, String column) throws SQLException {
            return Instant.ofEpochMilli(rows.getLong(column));
        }

        @Override
        boolean rejectsRow(SQLException e) {
            // Primary result codes TOOBIG, CONSTRAINT, MISMATCH: the row itself is at fault.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException s && Set.of(18, 19, 20).contains(s.getErrorCode() & 0xff)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String errorCode(SQLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLiteException s) {
                    return s.getResultCode().name();
                }
            }
            return e.getErrorCode() == 0 ? null : String.valueOf(e.getErrorCode());
        }

        @Override
        void configure(HikariConfig pool, Set<String> urlParameters) {
            // One writer connection plus one for reads; SQLite serialises writers anyway.
            pool.setMaximumPoolSize(2);
            // WAL lets reports read while the writer commits; FULL keeps a committed batch through power loss.
            setUnlessInUrl(pool, urlParameters, "journal_mode", "WAL");
            setUnlessInUrl(pool, urlParameters, "synchronous", "FULL");
            setUnlessInUrl(pool, urlParameters, "busy_timeout", "5000");
        }
    },

    POSTGRESQL("classpath:db/migration/postgresql",
            "INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO NOTHING") {
        @Override
        void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException {
            statement.setObject(index, OffsetDateTime.ofInstant(toMillis(time), ZoneOffset.UTC));
        }

        @Override
        Instant readTime(ResultSet rows, String column) throws SQLException {
            return rows.getObject(column, OffsetDateTime.class).toInstant();
        }

        @Override
        boolean rejectsRow(SQLException e) {
            // SQLState classes 22 (data exception: a NUL byte, a number out of range), 23 (integrity
            // constraint violation) and 54 (program limit exceeded: an index row over the btree maximum).
            // Everything else (08 connection, 40 rollback, 53 resources, 55 lock, 57 shutdown, 42 a missing
            // table...) is the database's state, and writing again later can succeed.
            for (SQLException s = e; s != null; s = s.getNextException()) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String errorCode(SQLException e) {
            SQLException innermost = e;
            for (SQLException s = e; s != null; s = s.getNextException()) {
                innermost = s; // a batch failure's own state is generic; the row's is on the last one chained
            }
            return innermost.getSQLState() != null ? innermost.getSQLState() : e.getSQLState();
        }

        @Override
        void configure(HikariConfig pool, Set<String> urlParameters) {
            pool.setMaximumPoolSize(4);
            pool.setMinimumIdle(1);
            // Lets the driver send a batch as multi-row INSERTs instead of one round trip per row.
            setUnlessInUrl(pool, urlParameters, "reWriteBatchedInserts", "true");
        }
    };

    private final String migrations;
    private final String insertTemplate;

    Dialect(String migrations, String insertTemplate) {
        this.migrations = migrations;
        this.insertTemplate = insertTemplate;
    }

    /** The Flyway location of this dialect's migrations. */
    String migrations() {
        return migrations;
    }

    /** An INSERT that silently skips a row whose {@code key} (the table's unique columns) is already stored. */
    String insertIgnoringDuplicates(String table, String columns, String placeholders, String key) {
        return insertTemplate.formatted(table, columns, placeholders, key);
    }

    /** Binds a time at millisecond precision, the precision both databases store. */
    abstract void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException;

    abstract Instant readTime(ResultSet rows, String column) throws SQLException;

    /** Whether the database refused the data itself, so that writing it again can never succeed. */
    abstract boolean rejectsRow(SQLException e);

    /**
     * The database's code for a failure, for people to search and group by: the SQLState on PostgreSQL
     * ({@code 23514}), the extended result code on SQLite ({@code SQLITE_CONSTRAINT_CHECK}); null if none.
     */
    abstract String errorCode(SQLException e);

    /** Pool size and connection settings; a setting already given in the URL wins. */
    abstract void configure(HikariConfig pool, Set<String> urlParameters);

    static Instant toMillis(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS);
    }

    private static void setUnlessInUrl(HikariConfig pool, Set<String> urlParameters, String key, String value) {
        if (!urlParameters.contains(key)) {
            pool.addDataSourceProperty(key, value);
        }
    }
}
