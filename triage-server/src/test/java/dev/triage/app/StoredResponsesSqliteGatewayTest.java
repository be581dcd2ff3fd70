package dev.triage.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

class StoredResponsesSqliteGatewayTest extends StoredResponsesGatewayContract {

    @Override
    String ledgerUrl() {
        return null; // the harness's SQLite file
    }

    @Override
    long storedRows(GatewayHarness gw) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + gw.ledgerUrl());
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM stored_responses")) {
            r.next();
            return r.getLong(1);
        }
    }
}
