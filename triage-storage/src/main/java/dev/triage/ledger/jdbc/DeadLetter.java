package dev.triage.ledger.jdbc;

import dev.triage.chat.Money;
import dev.triage.ledger.LedgerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A ledger row the database refused (its data, not the database's state: SQLState classes 22, 23, 54 on
 * PostgreSQL, TOOBIG/CONSTRAINT/MISMATCH on SQLite), kept in {@code ledger_dead_letters} instead of
 * blocking the rows behind it.
 *
 * @param kind      an attempt's cost entry or a captured text
 * @param requestId the request it belongs to
 * @param attempt   the attempt number; 0 for a captured text
 * @param cost      what the attempt cost; zero for a captured text
 * @param time      when the attempt started (the entry's own time)
 * @param refusedAt when the database refused it
 * @param errorCode the database's code: the SQLState on PostgreSQL ({@code 23514}), the extended result code
 *                  on SQLite ({@code SQLITE_CONSTRAINT_CHECK}); null if it gave none
 * @param error     the database's error, one line
 * @param json      the whole row as a spool line ({@code EntryJson}, without the newline): what replays it
 */
public record DeadLetter(Kind kind, String requestId, int attempt, Money cost, Instant time, Instant refusedAt,
                         String errorCode, String error, String json) {

    /** What was refused. */
    public enum Kind {
        ENTRY, TEXT;

        /** The value of the {@code kind} column. */
        String column() {
            return this == ENTRY ? "entry" : "text";
        }

        static Kind ofColumn(String column) {
            return "text".equals(column) ? TEXT : ENTRY;
        }
    }

    /** The refused row itself, read back from {@link #json}. */
    public LedgerRecord record() {
        byte[] line = json.getBytes(StandardCharsets.UTF_8);
        return EntryJson.decode(line, 0, line.length);
    }
}
