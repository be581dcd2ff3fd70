package dev.triage.ledger.jdbc;

import static dev.triage.ledger.jdbc.JdbcLedgerContract.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's threads never die quietly: an error nothing catches (here an {@code OutOfMemoryError}
 * thrown by the database connection) reaches the {@link LedgerThreadDeath} handler, which in the
 * gateway ends the process. The handler here only records the call.
 */
class LedgerThreadDeathTest {

    private record Death(String thread, Throwable cause) {
    }

    @TempDir
    Path dir;

    private final BlockingQueue<Death> deaths = new LinkedBlockingQueue<>();
    private final LedgerThreadDeath handler = (thread, cause) -> deaths.add(new Death(thread, cause));
    private final LedgerOptions options = JdbcLedgerContract.FAST.withFlushTimeout(Duration.ofSeconds(1));

    /** A database whose every connection attempt runs out of memory. */
    private static DataSource outOfMemory() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                });
    }

    private static AttemptTable dyingTable() {
        return new AttemptTable(outOfMemory(), Dialect.SQLITE);
    }

    private static DeadLetters deadLetters(Drops drops) {
        return new DeadLetters(outOfMemory(), Dialect.SQLITE, null, drops);
    }

    @Test
    void aWriterThreadKilledByAnOutOfMemoryErrorCallsTheDeathHandler() throws InterruptedException {
        Drops drops = new Drops();
        BatchWriter writer = new BatchWriter(dyingTable(), deadLetters(drops), options, drops, null, null, handler);
        writer.start();

        writer.submit(entry("req-1", 1));

        Death death = deaths.poll(10, TimeUnit.SECONDS);
        assertThat(death).isNotNull();
        assertThat(death.thread()).isEqualTo("triage-ledger-writer");
        assertThat(death.cause()).isInstanceOf(OutOfMemoryError.class).hasMessageContaining("thrown by the test");
        assertThat(deaths.poll(200, TimeUnit.MILLISECONDS)).as("called once").isNull();
    }

    @Test
    void aSpoolDrainerKilledByAnOutOfMemoryErrorCallsTheDeathHandler() throws Exception {
        Drops drops = new Drops();
        try (Spool spool = Spool.open(dir.resolve("spool"), LedgerOptions.DEFAULT_SPOOL_MAX_BYTES, drops)) {
            spool.append(List.of(entry("req-1", 1)));
            SpoolDrainer drainer = new SpoolDrainer(spool, dyingTable(), deadLetters(drops), options, handler);
            drainer.start();

            Death death = deaths.poll(10, TimeUnit.SECONDS);
            assertThat(death).isNotNull();
            assertThat(death.thread()).isEqualTo("triage-ledger-spool-drainer");
            assertThat(death.cause()).isInstanceOf(OutOfMemoryError.class);
            // The entry it could not write is still on disk for the restarted process.
            assertThat(spool.pendingBytes()).isPositive();
        }
    }
}
