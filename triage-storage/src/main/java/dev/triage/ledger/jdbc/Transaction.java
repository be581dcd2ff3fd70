package dev.triage.ledger.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Work on one pooled connection in one transaction: all of it is committed, or (on any exception) none of it. */
final class Transaction {

    interface Work<T> {
        T in(Connection connection) throws SQLException;
    }

    private Transaction() {
    }

    /** Runs {@code work} and commits; rolls back and rethrows whatever it throws. */
    static <T> T run(DataSource database, Work<T> work) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.in(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }
}
