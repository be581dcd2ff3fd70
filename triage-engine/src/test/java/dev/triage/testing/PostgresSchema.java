package dev.triage.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh schema in the machine's real PostgreSQL (127.0.0.1:5432, database {@code test}, user
 * {@code postgres}, trust auth) for one test, dropped on close, so tests running side by side never share tables.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** Creates {@code PREFIX_<random>}; fails (does not skip) when PostgreSQL is unreachable. */
    public static PostgresSchema create(String prefix) throws SQLException {
        PostgresSchema schema = new PostgresSchema(prefix + "_" + UUID.randomUUID().toString().replace("-", ""));
        schema.execute("CREATE SCHEMA " + schema.name);
        return schema;
    }

    public String name() {
        return name;
    }

    /** A JDBC URL whose connections use this schema (no credentials). */
    public String url() {
        return SERVER + "?currentSchema=" + name;
    }

    /** The same, with the user in the URL. */
    public String urlWithUser() {
        return SERVER + "?user=" + USER + "&currentSchema=" + name;
    }

    /** The same through {@code proxy} (a {@link TcpProxy} in front of the server), so that a test can cut it. */
    public String urlWithUser(TcpProxy proxy) {
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?user=" + USER + "&currentSchema=" + name;
    }

    /** A connection of the test's own to this schema, straight to the server. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, null);
    }

    /** The first column of every row {@code sql} returns, as text. */
    public List<String> column(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rows.next()) {
                out.add(rows.getString(1));
            }
            return out;
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(SERVER, USER, null); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA " + name + " CASCADE");
    }
}
