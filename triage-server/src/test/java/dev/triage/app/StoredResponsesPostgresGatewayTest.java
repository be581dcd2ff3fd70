package dev.triage.app;

import dev.triage.testing.PostgresSchema;
import java.sql.SQLException;

/** Against the real PostgreSQL on 127.0.0.1:5432 (database {@code test}), in a schema of its own. */
class StoredResponsesPostgresGatewayTest extends StoredResponsesGatewayContract {

    private PostgresSchema schema;

    @Override
    String ledgerUrl() throws SQLException {
        schema = PostgresSchema.create("responses_gw");
        return schema.urlWithUser();
    }

    @Override
    long storedRows(GatewayHarness gw) throws SQLException {
        return Long.parseLong(schema.column("SELECT count(*) FROM stored_responses").getFirst());
    }

    @Override
    void dropDatabase() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }
}
