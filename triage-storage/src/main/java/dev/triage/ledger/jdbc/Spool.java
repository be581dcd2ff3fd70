package dev.triage.ledger.jdbc;

import dev.triage.ledger.CapturedText;
import dev.triage.ledger.LedgerRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's durable spool: an append-only log of entries on disk, one JSON line each
 * ({@link EntryJson}), in numbered segment files {@code segment-NNNN.jsonl}. Captured texts, when
 * text capture is on, travel in the same log but may fill only half of it: cost entries come first.
 *
 * <p>One thread appends: each batch is written and fsynced (fdatasync) before {@link #append} returns,
 * so an entry is durable once its batch is appended. Another thread drains: {@link #read} hands out
 * the oldest rows not yet committed to the database, {@link #consumed} records that they were, and a
 * segment is deleted only when it is sealed and every row in it has been committed. Nothing remembers
 * how far a segment was committed across restarts: a leftover segment is replayed whole, and the
 * ledger's unique (request id, attempt) key turns the rows already stored into no-ops.
 *
 * <p>A lock file keeps two ledgers (in one process or two) from sharing a spool directory.
 */
final class Spool implements AutoCloseable {

    /** A point in the spool: a byte offset in a segment. */
    record Position(long segment, long offset) {
    }

    /**
     * Rows read from one segment.
     *
     * @param segment   the segment they came from
     * @param end       the offset just after the last line read
     * @param rows      the entries (and captured texts), oldest first
     * @param badLines  lines in the range that were not readable entries
     * @param firstBad  why the first bad line was bad, or null
     * @param tornBytes bytes of an unfinished last line (a write cut short by a crash), skipped
     */
    record Chunk(long segment, long end, List<LedgerRecord> rows, int badLines, String firstBad, long tornBytes) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{1,18})\\.jsonl");
    private static final long MAX_SEGMENT_BYTES = 16L * 1024 * 1024;
    private static final long MIN_SEGMENT_BYTES = 64L * 1024;
    private static final long ROLL_DRAINED_BYTES = 1024L * 1024;
    private static final int READ_BYTES = 1024 * 1024;

    private static final class Segment {
        final long seq;
        final Path path;
        /** Bytes written and fsynced; always the end of a whole line, except for a leftover's torn tail. */
        volatile long durableEnd;
        /** Bytes whose rows the database has committed. */
        volatile long consumed;
        volatile boolean sealed;
        boolean hadBadLines;
        FileChannel out;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }

        boolean fullyConsumed() {
            return consumed >= durableEnd;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Drops drops;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final TreeMap<Long, Segment> segments = new TreeMap<>(); // guarded by this
    private final AtomicLong bytes = new AtomicLong();
    private Segment active; // guarded by this
    private long nextSeq;   // guarded by this
    private boolean closed; // guarded by this

    private Spool(Path dir, long maxBytes, Drops drops, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        // Small enough that draining can free space during a long outage, large enough to keep files few.
        this.segmentBytes = Math.clamp(maxBytes / 16, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
        this.drops = drops;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) and locks the spool in {@code dir}; segments left by an earlier run are
     * kept, oldest first, ahead of anything appended now.
     *
     * @throws IOException if the directory cannot be created or read, or another ledger holds it
     */
    static Spool open(Path dir, long maxBytes, Drops drops) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        Files.createDirectories(absolute);
        FileChannel lockFile = FileChannel.open(absolute.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            lockFile.close();
            throw e;
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException("the ledger spool " + absolute + " is in use by another Triage ledger; give each one its own storage.spool_dir");
        }
        Spool spool = new Spool(absolute, maxBytes, drops, lockFile, lock);
        try {
            spool.loadLeftovers();
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
        return spool;
    }

    private void loadLeftovers() throws IOException {
        long last = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "segment-*.jsonl")) {
            for (Path file : files) {
                Matcher m = SEGMENT.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long seq = Long.parseLong(m.group(1));
                last = Math.max(last, seq);
                long size = Files.size(file);
                if (size == 0) {
                    Files.delete(file);
                    continue;
                }
                Segment s = new Segment(seq, file);
                s.durableEnd = size;
                s.sealed = true;
                segments.put(seq, s);
                bytes.addAndGet(size);
            }
        }
        nextSeq = last + 1;
    }

    Path directory() {
        return dir;
    }

    /** Bytes in segment files, committed or not: what counts against the size limit. */
    long bytes() {
        return bytes.get();
    }

    /** Bytes of entries not yet committed to the database. */
    synchronized long pendingBytes() {
        long pending = 0;
        for (Segment s : segments.values()) {
            pending += Math.max(0, s.durableEnd - s.consumed);
        }
        return pending;
    }

    /** Where the spool ends now: once drained up to here, everything appended so far is in the database. */
    synchronized Position end() {
        if (!segments.isEmpty()) {
            Segment last = segments.lastEntry().getValue();
            return new Position(last.seq, last.durableEnd);
        }
        return new Position(nextSeq - 1, 0);
    }

    /** Whether every row before {@code p} has been committed to the database. */
    synchronized boolean drained(Position p) {
        for (Segment s : segments.values()) {
            if (s.seq > p.segment()) {
                return true;
            }
            long needed = s.seq == p.segment() ? Math.min(p.offset(), s.durableEnd) : s.durableEnd;
            if (s.consumed < needed) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the rows and fsyncs them; called by one thread only. Entries that would take the spool
     * past its size limit, and captured texts that would take it past half of it, are dropped, counted
     * and logged.
     *
     * @return the end of the spool after the append
     * @throws IOException if the rows could not be written or synced; none of them then counts as spooled
     */
    Position append(List<? extends LedgerRecord> rows) throws IOException {
        if (rows.isEmpty()) {
            return end();
        }
        List<byte[]> lines = new ArrayList<>(rows.size());
        long used = bytes.get();
        long size = 0;
        long droppedEntries = 0;
        long droppedTexts = 0;
        for (LedgerRecord row : rows) {
            byte[] line = EntryJson.encode(row);
            boolean text = row instanceof CapturedText;
            if (used + size + line.length > (text ? maxBytes / 2 : maxBytes)) {
                if (text) {
                    droppedTexts++;
                } else {
                    droppedEntries++;
                }
                continue;
            }
            lines.add(line);
            size += line.length;
        }
        String full = "the ledger spool " + dir + " is full (storage.spool_max_bytes = " + maxBytes
                + ") while the database is not taking entries";
        drops.drop(droppedEntries, full);
        drops.dropTexts(droppedTexts, full + "; captured texts may use only half of it");
        if (lines.isEmpty()) {
            return end();
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size));
        lines.forEach(buffer::put);
        buffer.flip();
        Segment s = segmentFor();
        try {
            while (buffer.hasRemaining()) {
                s.out.write(buffer);
            }
            s.out.force(false);
        } catch (IOException e) {
            abandon(s);
            throw e;
        }
        synchronized (this) {
            s.durableEnd += size;
            bytes.addAndGet(size);
            return new Position(s.seq, s.durableEnd);
        }
    }

    /** The segment to append to: a new one once the current one is big, or fully committed and worth deleting. */
    private synchronized Segment segmentFor() throws IOException {
        if (closed) {
            throw new IOException("the ledger spool is closed");
        }
        if (active != null && (active.durableEnd >= segmentBytes
                || (active.fullyConsumed() && active.durableEnd >= Math.min(ROLL_DRAINED_BYTES, segmentBytes)))) {
            seal(active);
        }
        if (active == null) {
            Segment s = new Segment(nextSeq++, dir.resolve("segment-%016d.jsonl".formatted(nextSeq - 1)));
            s.out = FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            syncDirectory();
            segments.put(s.seq, s);
            active = s;
        }
        return active;
    }

    /** After a failed write: cut the segment back to its last synced line and write no more to it. */
    private synchronized void abandon(Segment s) {
        try {
            s.out.truncate(s.durableEnd);
        } catch (IOException e) {
            LOG.warn("Could not truncate the ledger spool segment {} after a failed write: {}", s.path, e.toString());
        }
        seal(s);
    }

    private void seal(Segment s) {
        s.sealed = true;
        if (s == active) {
            active = null;
        }
        if (s.out != null) {
            try {
                s.out.close();
            } catch (IOException e) {
                LOG.warn("Could not close the ledger spool segment {}: {}", s.path, e.toString());
            }
            s.out = null;
        }
        if (s.fullyConsumed()) {
            release(s);
        }
    }

    /** Removes a sealed, fully committed segment; one that had unreadable lines is kept aside for a human. */
    private void release(Segment s) {
        if (segments.remove(s.seq) == null) {
            return;
        }
        bytes.addAndGet(-s.durableEnd);
        try {
            if (s.hadBadLines) {
                Path aside = s.path.resolveSibling(s.path.getFileName() + ".rejected");
                Files.move(s.path, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.error("Kept the ledger spool segment with unreadable lines as {}", aside);
            } else {
                Files.deleteIfExists(s.path);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the drained ledger spool segment {}: {}", s.path, e.toString());
        }
    }

    /**
     * Reads up to {@code maxRows} of the oldest rows not yet committed; called by the draining thread
     * only, and again from the same place until {@link #consumed} is called.
     *
     * @return the rows, or null if there is nothing to drain
     */
    Chunk read(int maxRows) throws IOException {
        Segment s;
        long from;
        long limit;
        synchronized (this) {
            s = null;
            for (Segment candidate : List.copyOf(segments.values())) {
                if (!candidate.fullyConsumed()) {
                    s = candidate;
                    break;
                }
                if (candidate.sealed) {
                    release(candidate);
                }
            }
            if (s == null) {
                return null;
            }
            from = s.consumed;
            limit = s.durableEnd;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(READ_BYTES, limit - from));
        try (FileChannel in = FileChannel.open(s.path, StandardOpenOption.READ)) {
            while (true) {
                fill(in, buffer, from, limit);
                if (indexOf(buffer.array(), 0, buffer.position()) >= 0 || from + buffer.position() >= limit) {
                    break;
                }
                // A line longer than the buffer: read it whole.
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) buffer.capacity() * 2, limit - from));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }
        byte[] bytes = buffer.array();
        int length = buffer.position();
        List<LedgerRecord> rows = new ArrayList<>();
        int badLines = 0;
        String firstBad = null;
        int start = 0;
        while (rows.size() < maxRows) {
            int newline = indexOf(bytes, start, length);
            if (newline < 0) {
                break;
            }
            try {
                rows.add(EntryJson.decode(bytes, start, newline - start));
            } catch (RuntimeException e) {
                badLines++;
                if (firstBad == null) {
                    firstBad = "byte " + (from + start) + " of " + s.path + ": " + e.getMessage();
                }
            }
            start = newline + 1;
        }
        long tornBytes = 0;
        if (start < length && from + length >= limit && s.sealed && indexOf(bytes, start, length) < 0) {
            // The last line of a segment left by a crash never got its newline: its batch was never synced.
            tornBytes = length - start;
            start = length;
        }
        return new Chunk(s.seq, from + start, rows, badLines, firstBad, tornBytes);
    }

    /** Records that a chunk's rows are committed; a sealed segment committed to its end is deleted. */
    synchronized void consumed(Chunk chunk) {
        Segment s = segments.get(chunk.segment());
        if (s == null) {
            return;
        }
        if (chunk.badLines() > 0) {
            s.hadBadLines = true;
            drops.drop(chunk.badLines(), "their lines in the ledger spool could not be read (first: " + chunk.firstBad() + ")");
        }
        if (chunk.tornBytes() > 0) {
            LOG.warn("Skipped an unfinished last line ({} bytes) in the ledger spool segment {}: a write cut short before it was synced",
                    chunk.tornBytes(), s.path);
        }
        s.consumed = Math.max(s.consumed, chunk.end());
        if (s.sealed && s.fullyConsumed()) {
            release(s);
        }
    }

    /** Stops appending, deletes what has been fully committed and releases the lock; the rest stays for the next run. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (active != null) {
            seal(active);
        }
        for (Segment s : List.copyOf(segments.values())) {
            if (s.sealed && s.fullyConsumed()) {
                release(s);
            }
        }
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("Could not release the ledger spool lock in {}: {}", dir, e.toString());
        }
        try {
            lockFile.close();
        } catch (IOException e) {
            LOG.warn("Could not close the ledger spool lock file in {}: {}", dir, e.toString());
        }
    }

    // Makes a new segment's directory entry survive a power cut along with its contents.
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot sync the directory {} on this file system: {}", dir, e.toString());
        }
    }

    private static void fill(FileChannel in, ByteBuffer buffer, long from, long limit) throws IOException {
        while (buffer.hasRemaining() && from + buffer.position() < limit) {
            int n = in.read(buffer, from + buffer.position());
            if (n < 0) {
                throw new IOException("the ledger spool segment ended early (was it changed by something else?)");
            }
        }
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
