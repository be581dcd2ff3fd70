package dev.triage.ledger.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

class JdbcResponseStoreSqliteTest extends JdbcResponseStoreContract {

    @TempDir
    Path dir;

    @Override
    String freshDatabase() {
        return "sqlite:" + dir.resolve("ledger.db");
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options;
    }

    @Override
    Connection plainConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
    }
}
