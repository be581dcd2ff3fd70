package dev.triage.ledger.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class JdbcReportsSqliteTest extends JdbcReportsContract {

    @TempDir
    Path dir;

    @Override
    String url() {
        return "sqlite:" + dir.resolve("ledger.db");
    }

    @Override
    LedgerOptions connecting(LedgerOptions options) {
        return options;
    }

    @Override
    DataSource dataSource() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("ledger.db"));
        return ds;
    }

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
