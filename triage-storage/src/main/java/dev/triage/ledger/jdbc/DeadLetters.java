package dev.triage.ledger.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.ledger.CacheLookup;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import dev.triage.provider.Secrets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's dead-letter store: rows the database refused for their own data, set aside so that they
 * never hold back the rows behind them and never vanish. They go to {@code ledger_dead_letters}; if the
 * database refuses that too, to a JSON-lines file in the spool directory ({@value #FILE_NAME}); if that
 * fails as well (or there is no spool), the whole row is logged at ERROR and counted as dropped.
 */
final class DeadLetters {

    static final String FILE_NAME = "dead-letters.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "ledger_dead_letters";
    private static final List<String> COLUMNS = List.of("kind", "request_id", "attempt", "cost_picousd", "created_at",
            "refused_at", "error_code", "error", "entry_json");
    private static final String COLUMN_LIST = String.join(", ", COLUMNS);

    private final DataSource database;
    private final Dialect dialect;
    private final Path file;
    private final Drops drops;
    private final String insert;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong costPicos = new AtomicLong();

    /** @param file where dead letters go when the table refuses them, or null for nowhere but the log */
    DeadLetters(DataSource database, Dialect dialect, Path file, Drops drops) {
        this.database = database;
        this.dialect = dialect;
        this.file = file;
        this.drops = drops;
        this.insert = dialect.insertIgnoringDuplicates(TABLE, COLUMN_LIST,
                String.join(", ", Collections.nCopies(COLUMNS.size(), "?")), "kind, request_id, attempt");
    }

    /** Sets the refused rows aside (see the class comment for where); never throws. */
    void setAside(List<AttemptTable.Refusal> refused) {
        if (refused.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<DeadLetter> letters = new ArrayList<>(refused.size());
        for (AttemptTable.Refusal r : refused) {
            if (r.record() instanceof CacheLookup lookup) {
                // It holds no cost (a hit cost nothing; a miss's attempts are entries of their own), and the dead-letter
                // table keeps attempts and texts only: counted and logged as dropped.
                drops.drop(lookup, "the database refused it: " + AttemptTable.describe(r.reason()));
                continue;
            }
            letters.add(letter(r, now));
        }
        if (letters.isEmpty()) {
            return;
        }
        try {
            insert(letters);
            counted(letters, TABLE);
            return;
        } catch (SQLException | RuntimeException e) {
            LOG.error("Could not write {} dead letters to {}{}: {}", letters.size(), TABLE,
                    file == null ? "" : "; appending them to " + file, AttemptTable.describe(e));
        }
        if (file != null) {
            try {
                append(letters);
                counted(letters, file.toString());
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("Could not append {} dead letters to {}: {}", letters.size(), file, e.toString());
            }
        }
        for (DeadLetter d : letters) {
            // The log is the last place left: the whole row, so that it can still be replayed by hand.
            LOG.error("Lost a ledger row the database refused ({}); nowhere to set it aside. The row: {}", d.error(),
                    Secrets.redact(d.json()));
            drops.lost(d.kind() == DeadLetter.Kind.ENTRY ? 1 : 0, d.kind() == DeadLetter.Kind.TEXT ? 1 : 0,
                    "the database refused them and no dead-letter store took them");
        }
    }

    private DeadLetter letter(AttemptTable.Refusal refusal, Instant now) {
        LedgerRecord row = Storable.record(refusal.record());
        byte[] line = EntryJson.encode(row);
        String json = new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
        String error = AttemptTable.describe(refusal.reason());
        String code = Storable.key(dialect.errorCode(refusal.reason()));
        return switch (row) {
            case LedgerEntry e -> new DeadLetter(DeadLetter.Kind.ENTRY, e.requestId(), e.attempt(), e.cost(), e.time(), now,
                    code, error, json);
            case CapturedText t -> new DeadLetter(DeadLetter.Kind.TEXT, t.requestId(), 0, Money.ZERO, t.time(), now,
                    code, error, json);
            case CacheLookup c -> throw new IllegalArgumentException("cache lookups are not dead-lettered");
        };
    }

    private void insert(List<DeadLetter> letters) throws SQLException {
        Transaction.run(database, c -> {
            try (PreparedStatement s = c.prepareStatement(insert)) {
                for (DeadLetter d : letters) {
                    int i = 0;
                    s.setString(++i, d.kind().column());
                    s.setString(++i, d.requestId());
                    s.setInt(++i, d.attempt());
                    s.setLong(++i, d.cost().picos());
                    dialect.bindTime(s, ++i, d.time());
                    dialect.bindTime(s, ++i, d.refusedAt());
                    s.setString(++i, d.errorCode());
                    s.setString(++i, d.error());
                    s.setString(++i, d.json());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /** One JSON line per letter: {@code refused_at}, {@code kind}, {@code error_code}, {@code error}, and the row as {@code entry}. */
    private synchronized void append(List<DeadLetter> letters) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (DeadLetter d : letters) {
            ObjectNode o = JSON.createObjectNode();
            o.put("refused_at", d.refusedAt().toString());
            o.put("kind", d.kind().column());
            o.put("error_code", d.errorCode());
            o.put("error", d.error());
            o.set("entry", JSON.readTree(d.json()));
            lines.append(JSON.writeValueAsString(o)).append('\n');
        }
        Files.createDirectories(file.getParent());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
    }

    private void counted(List<DeadLetter> letters, String where) {
        for (DeadLetter d : letters) {
            switch (d.kind()) {
                case ENTRY -> {
                    long total = entries.incrementAndGet();
                    costPicos.accumulateAndGet(d.cost().picos(), DeadLetters::saturatingAdd);
                    LOG.error("The ledger database refused the entry for request {} attempt {} costing ${}; set it aside in {} "
                                    + "({} dead-letter entries so far; the money is in no report sum until it is replayed): {}",
                            Secrets.redact(d.requestId()), d.attempt(), d.cost().toUsdString(), where, total, d.error());
                }
                case TEXT -> {
                    long total = texts.incrementAndGet();
                    LOG.warn("The ledger database refused the captured text of request {}; set it aside in {} ({} so far): {}",
                            Secrets.redact(d.requestId()), where, total, d.error());
                }
            }
        }
    }

    /** Up to {@code limit} dead letters from the table, oldest first. */
    List<DeadLetter> list(int limit) throws SQLException {
        String sql = "SELECT " + COLUMN_LIST + " FROM " + TABLE + " ORDER BY id LIMIT ?";
        List<DeadLetter> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new DeadLetter(DeadLetter.Kind.ofColumn(r.getString("kind")), r.getString("request_id"),
                            r.getInt("attempt"), new Money(r.getLong("cost_picousd")), dialect.readTime(r, "created_at"),
                            dialect.readTime(r, "refused_at"), r.getString("error_code"), r.getString("error"),
                            r.getString("entry_json")));
                }
            }
        }
        return out;
    }

    long entries() {
        return entries.get();
    }

    long texts() {
        return texts.get();
    }

    Money cost() {
        return new Money(costPicos.get());
    }

    static long saturatingAdd(long a, long b) {
        long sum = a + b;
        // Overflow iff both operands have the sign the result lacks.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
