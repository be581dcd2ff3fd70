package dev.triage.ledger.jdbc;

import static dev.triage.ledger.jdbc.JdbcLedgerContract.entry;
import static dev.triage.ledger.jdbc.JdbcLedgerContract.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerEntry;
import dev.triage.ledger.LedgerRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    private static final long BIG = 1L << 30;

    @TempDir
    Path dir;

    private final Drops drops = new Drops();
    private final List<Spool> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Spool::close);
    }

    private Spool open(Path where, long maxBytes) throws IOException {
        Spool spool = Spool.open(where, maxBytes, drops);
        opened.add(spool);
        return spool;
    }

    private static List<LedgerEntry> rows(String prefix, int n) {
        List<LedgerEntry> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            rows.add(entry(prefix + i, 1));
        }
        return rows;
    }

    private static List<String> segmentFiles(Path where) throws IOException {
        try (Stream<Path> files = Files.list(where)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("segment-")).sorted().toList();
        }
    }

    /** Reads and commits everything, as the drainer would with a database that accepts it all. */
    private static List<LedgerRecord> drainAll(Spool spool) throws IOException {
        List<LedgerRecord> out = new ArrayList<>();
        for (Spool.Chunk c; (c = spool.read(500)) != null; ) {
            out.addAll(c.rows());
            spool.consumed(c);
        }
        return out;
    }

    @Test
    void appendedRowsAreReadBackOldestFirstAndDeletedOnlyOnceCommittedAndSealed() throws IOException {
        Spool spool = open(dir, BIG);
        spool.append(rows("a", 3));
        spool.append(rows("b", 1));

        Spool.Chunk chunk = spool.read(500);
        assertThat(keys(chunk.rows())).containsExactly("a1#1", "a2#1", "a3#1", "b1#1");
        assertThat(segmentFiles(dir)).containsExactly("segment-0000000000000001.jsonl");
        assertThat(spool.pendingBytes()).isEqualTo(Files.size(dir.resolve("segment-0000000000000001.jsonl")));

        spool.consumed(chunk);
        assertThat(spool.pendingBytes()).isZero();
        assertThat(spool.read(500)).isNull();
        // Still the segment being appended to: it goes when it is sealed.
        assertThat(segmentFiles(dir)).hasSize(1);

        spool.close();
        assertThat(segmentFiles(dir)).isEmpty();
    }

    @Test
    void readHandsOutAtMostMaxRowsAndRereadsTheSameRowsUntilTheyAreCommitted() throws IOException {
        Spool spool = open(dir, BIG);
        spool.append(rows("r", 5));

        assertThat(keys(spool.read(2).rows())).containsExactly("r1#1", "r2#1");
        Spool.Chunk again = spool.read(2);
        assertThat(keys(again.rows())).containsExactly("r1#1", "r2#1");
        spool.consumed(again);
        assertThat(keys(spool.read(2).rows())).containsExactly("r3#1", "r4#1");
    }

    @Test
    void capturedTextsMayFillOnlyHalfTheSpoolSoEntriesKeepTheRest() throws IOException {
        long rowBytes = EntryJson.encode(entry("r1", 1)).length;
        CapturedText text = new CapturedText("t", "smart", "m", "x".repeat((int) rowBytes), "y", "stop", JdbcLedgerContract.T0);
        long textBytes = EntryJson.encode(text).length;
        Spool spool = open(dir, 4 * textBytes);

        spool.append(List.of(text, new CapturedText("t2", "smart", "m", "x".repeat((int) rowBytes), "y", "stop",
                JdbcLedgerContract.T0), new CapturedText("t3", "smart", "m", "z", null, null, JdbcLedgerContract.T0)));
        spool.append(rows("r", 2));

        // the second long text would pass half the spool; the short one after it still fits
        assertThat(keys(drainAll(spool))).containsExactly("t#text", "t3#text", "r1#1", "r2#1");
        assertThat(drops.texts()).isEqualTo(1);
        assertThat(drops.count()).isZero();
    }

    @Test
    void rowsBeyondTheSizeLimitAreDroppedAndCounted() throws IOException {
        long rowBytes = EntryJson.encode(entry("r1", 1)).length;
        Spool spool = open(dir, 3 * rowBytes + rowBytes / 2);

        spool.append(rows("r", 5));

        assertThat(drops.count()).isEqualTo(2);
        assertThat(keys(drainAll(spool))).containsExactly("r1#1", "r2#1", "r3#1");
        assertThat(spool.bytes()).isEqualTo(3 * rowBytes);
    }

    @Test
    void aSpoolLeftByAnEarlierRunIsReadBeforeAnythingAppendedNow() throws IOException {
        Path crashed = dir.resolve("crashed");
        Spool first = open(dir.resolve("first"), BIG);
        first.append(rows("old", 2));
        // What a killed process leaves behind: its files, exactly as they are on disk.
        Files.createDirectories(crashed);
        for (String name : segmentFiles(dir.resolve("first"))) {
            Files.copy(dir.resolve("first").resolve(name), crashed.resolve(name));
        }

        Spool next = open(crashed, BIG);
        assertThat(next.pendingBytes()).isPositive();
        next.append(rows("new", 1));

        assertThat(keys(drainAll(next))).containsExactly("old1#1", "old2#1", "new1#1");
        assertThat(segmentFiles(crashed)).containsExactly("segment-0000000000000002.jsonl");
        assertThat(drops.count()).isZero();
    }

    @Test
    void anUnfinishedLastLineLeftByACrashIsSkippedWithoutCountingADrop() throws IOException {
        byte[] cut = EntryJson.encode(entry("cut", 1));
        writeSegment(dir, 7, EntryJson.encode(entry("a", 1)), EntryJson.encode(entry("b", 1)),
                Arrays.copyOf(cut, cut.length / 2));

        Spool spool = open(dir, BIG);
        Spool.Chunk chunk = spool.read(500);
        assertThat(keys(chunk.rows())).containsExactly("a#1", "b#1");
        assertThat(chunk.tornBytes()).isEqualTo(cut.length / 2);

        spool.consumed(chunk);
        assertThat(segmentFiles(dir)).isEmpty();
        assertThat(spool.read(500)).isNull();
        assertThat(drops.count()).isZero();
        // Numbering continues after the leftover, so new segments sort after old ones.
        spool.append(rows("n", 1));
        assertThat(segmentFiles(dir)).containsExactly("segment-0000000000000008.jsonl");
    }

    @Test
    void unreadableLinesAreCountedAsDroppedAndTheirSegmentIsKeptAsideForAHuman() throws IOException {
        writeSegment(dir, 1, EntryJson.encode(entry("a", 1)), "garbage\n".getBytes(StandardCharsets.UTF_8),
                EntryJson.encode(entry("b", 1)));

        Spool spool = open(dir, BIG);
        Spool.Chunk chunk = spool.read(500);
        assertThat(keys(chunk.rows())).containsExactly("a#1", "b#1");
        assertThat(chunk.badLines()).isEqualTo(1);
        assertThat(chunk.firstBad()).startsWith("byte " + EntryJson.encode(entry("a", 1)).length + " of ");

        spool.consumed(chunk);
        assertThat(drops.count()).isEqualTo(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("segment-0000000000000001.jsonl.rejected");
        }
    }

    @Test
    void segmentsRollAtOneSixteenthOfTheLimitAndEachGoesOnceCommitted() throws IOException {
        Spool spool = open(dir, 16 * 64 * 1024); // segments of 64 KiB
        long largestBatch = 0;
        for (int i = 0; i < 10; i++) {
            List<LedgerEntry> batch = rows("batch" + i + "-", 100);
            largestBatch = Math.max(largestBatch, batch.stream().mapToLong(e -> EntryJson.encode(e).length).sum());
            spool.append(batch);
        }
        List<String> segments = segmentFiles(dir);
        assertThat(segments.size()).isGreaterThan(2);
        for (String full : segments.subList(0, segments.size() - 1)) {
            // A batch is never split: a segment is closed by the first batch that takes it past 64 KiB.
            assertThat(Files.size(dir.resolve(full))).isGreaterThanOrEqualTo(64 * 1024).isLessThan(64 * 1024 + largestBatch);
        }

        assertThat(drainAll(spool)).hasSize(1_000);
        assertThat(segmentFiles(dir)).hasSize(1); // only the segment still being appended to
        spool.close();
        assertThat(segmentFiles(dir)).isEmpty();
    }

    @Test
    void drainedIsTrueOnlyOnceEveryRowBeforeThePositionIsCommitted() throws IOException {
        Spool spool = open(dir, BIG);
        Spool.Position empty = spool.end();
        assertThat(spool.drained(empty)).isTrue();

        Spool.Position afterTwo = spool.append(rows("p", 2));
        Spool.Position afterFour = spool.append(rows("q", 2));
        assertThat(spool.drained(afterTwo)).isFalse();

        Spool.Chunk firstTwo = spool.read(2);
        spool.consumed(firstTwo);
        assertThat(spool.drained(afterTwo)).isTrue();
        assertThat(spool.drained(afterFour)).isFalse();
        assertThat(spool.end()).isEqualTo(afterFour);
    }

    @Test
    void aSecondSpoolOnTheSameDirectoryIsRefused() throws IOException {
        open(dir, BIG);

        assertThatThrownBy(() -> open(dir, BIG))
                .isInstanceOf(IOException.class)
                .hasMessage("the ledger spool " + dir.toAbsolutePath().normalize()
                        + " is in use by another Triage ledger; give each one its own storage.spool_dir");
    }

    private static void writeSegment(Path where, long seq, byte[]... lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.write(line);
        }
        Files.write(where.resolve("segment-%016d.jsonl".formatted(seq)), out.toByteArray());
    }
}
