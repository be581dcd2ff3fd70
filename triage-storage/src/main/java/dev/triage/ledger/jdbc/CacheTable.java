package dev.triage.ledger.jdbc;

import dev.triage.ledger.CacheLookup;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;

/** Every insert into {@code ledger_cache}: what the response cache did for each request that looked it up. */
final class CacheTable {

    static final String TABLE = "ledger_cache";
    private static final List<String> COLUMNS = List.of("request_id", "route", "model", "outcome", "saved_picousd",
            "source_request_id", "stream", "user_id", "api_key", "created_at");

    private final Dialect dialect;
    private final String insert;

    CacheTable(Dialect dialect) {
        this.dialect = dialect;
        this.insert = dialect.insertIgnoringDuplicates(TABLE, String.join(", ", COLUMNS),
                String.join(", ", Collections.nCopies(COLUMNS.size(), "?")), "request_id");
    }

    /** An INSERT of one lookup that skips a request already stored (a spool replayed). */
    String insertSql() {
        return insert;
    }

    void bind(PreparedStatement statement, CacheLookup lookup) throws SQLException {
        CacheLookup c = Storable.cache(lookup);
        int i = 0;
        statement.setString(++i, c.requestId());
        statement.setString(++i, c.route());
        statement.setString(++i, c.model());
        statement.setString(++i, c.outcome());
        statement.setLong(++i, c.saved().picos());
        nullable(statement, ++i, c.sourceRequestId());
        statement.setBoolean(++i, c.stream());
        nullable(statement, ++i, c.user());
        nullable(statement, ++i, c.apiKey());
        dialect.bindTime(statement, ++i, c.time());
    }

    private static void nullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
