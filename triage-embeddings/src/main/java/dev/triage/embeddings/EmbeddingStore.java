package dev.triage.embeddings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings kept on disk so that a batch run over the same texts (a simulation rerun, training)
 * does not compute them again: one append-only file per embedder id, read whole when opened.
 *
 * <p>File: a header (magic, format version, dimensions, embedder id), then records of a 32-byte
 * {@link TextKey}, the vector as little-endian floats and a CRC32C of both. A process killed while
 * appending leaves a torn last record; opening the file drops it (and anything after it). One process
 * appends at a time (an OS file lock); another process opening the same file reads it but adds nothing.
 */
final class EmbeddingStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingStore.class);
    private static final int MAGIC = 0x54454D42; // "TEMB"
    private static final int VERSION = 1;
    private static final int FLUSH_EVERY = 64;

    private final Path file;
    private final int dimensions;
    private final int recordBytes;
    private final Map<TextKey, float[]> vectors;
    private final FileChannel channel;
    private final FileLock writeLock;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ByteBuffer pending;
    private final CRC32C crc = new CRC32C();

    private EmbeddingStore(Path file, int dimensions, Map<TextKey, float[]> vectors, FileChannel channel, FileLock writeLock) {
        this.file = file;
        this.dimensions = dimensions;
        this.recordBytes = recordBytes(dimensions);
        this.vectors = vectors;
        this.channel = channel;
        this.writeLock = writeLock;
        this.pending = writeLock == null ? null
                : ByteBuffer.allocate(recordBytes * FLUSH_EVERY).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The file that holds {@code embedderId}'s vectors under {@code directory}. */
    static Path fileFor(Path directory, String embedderId) {
        return directory.resolve(embedderId.replaceAll("[^A-Za-z0-9._-]", "_") + ".vectors");
    }

    /** Opens (creating if needed) the store of {@code embedderId} and reads all its vectors. */
    static EmbeddingStore open(Path directory, String embedderId, int dimensions) {
        Path file = fileFor(directory, embedderId);
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            byte[] header = header(embedderId, dimensions);
            Map<TextKey, float[]> vectors = new ConcurrentHashMap<>();
            long end = channel.size();
            if (end < header.length) {
                if (lock != null) { // new, or torn while its header was written
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(header), 0);
                }
                end = header.length;
            } else {
                checkHeader(channel, file, header, embedderId, dimensions);
                long good = read(channel, header.length, dimensions, vectors);
                if (good < end) {
                    LOG.warn("embedding store {}: dropped {} bytes after the last whole record (an interrupted write)",
                            file, end - good);
                    if (lock != null) {
                        channel.truncate(good);
                    }
                    end = good;
                }
            }
            if (lock == null) {
                LOG.warn("embedding store {} is in use by another process; new vectors will not be saved", file);
            }
            channel.position(end);
            return new EmbeddingStore(file, dimensions, vectors, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open embedding store " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM already appends to the file
        }
    }

    private static byte[] header(String embedderId, int dimensions) {
        byte[] id = embedderId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(14 + id.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MAGIC).putInt(VERSION).putInt(dimensions).putShort((short) id.length).put(id).array();
    }

    private static void checkHeader(FileChannel channel, Path file, byte[] expected, String embedderId, int dimensions)
            throws IOException {
        ByteBuffer actual = ByteBuffer.allocate(expected.length);
        while (actual.hasRemaining() && channel.read(actual, actual.position()) > 0) {
            // read the whole header
        }
        if (!actual.flip().equals(ByteBuffer.wrap(expected))) {
            throw new IllegalStateException("embedding store " + file + " was not written for " + embedderId + " ("
                    + dimensions + " dimensions, format " + VERSION + "); move it away or delete it");
        }
    }

    /** Reads whole, intact records from {@code start}; returns the offset after the last one. */
    private static long read(FileChannel channel, long start, int dimensions, Map<TextKey, float[]> into)
            throws IOException {
        int recordBytes = recordBytes(dimensions);
        ByteBuffer buffer = ByteBuffer.allocate(recordBytes * 256).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        long offset = start;
        while (true) {
            buffer.clear();
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // fill the buffer or reach the end of the file
            }
            buffer.flip();
            if (buffer.remaining() < recordBytes) {
                return offset;
            }
            while (buffer.remaining() >= recordBytes) {
                int at = buffer.position();
                crc.reset();
                crc.update(buffer.slice(at, recordBytes - Integer.BYTES));
                if ((int) crc.getValue() != buffer.getInt(at + recordBytes - Integer.BYTES)) {
                    return offset;
                }
                TextKey key = TextKey.fromBytes(buffer);
                float[] vector = new float[dimensions];
                buffer.asFloatBuffer().get(vector);
                buffer.position(at + recordBytes);
                into.put(key, vector);
                offset += recordBytes;
            }
        }
    }

    private static int recordBytes(int dimensions) {
        return TextKey.BYTES + dimensions * Float.BYTES + Integer.BYTES;
    }

    /** The stored vector (not a copy), or null. */
    float[] get(TextKey key) {
        return vectors.get(key);
    }

    int size() {
        return vectors.size();
    }

    Path file() {
        return file;
    }

    /** Keeps {@code vector}; it reaches the file within {@value #FLUSH_EVERY} additions or at {@link #flush()}. */
    void add(TextKey key, float[] vector) {
        if (vector.length != dimensions) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, store holds " + dimensions);
        }
        if (vectors.putIfAbsent(key, vector) != null || pending == null) {
            return;
        }
        appendLock.lock();
        try {
            int at = pending.position();
            key.writeTo(pending);
            for (float x : vector) {
                pending.putFloat(x);
            }
            crc.reset();
            crc.update(pending.slice(at, recordBytes - Integer.BYTES));
            pending.putInt((int) crc.getValue());
            if (!pending.hasRemaining()) {
                writePending();
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** Writes what {@link #add} buffered. */
    void flush() {
        if (pending == null) {
            return;
        }
        appendLock.lock();
        try {
            writePending();
        } finally {
            appendLock.unlock();
        }
    }

    private void writePending() {
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                channel.write(pending);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to embedding store " + file + ": " + e.getMessage(), e);
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            try {
                channel.close(); // releases the lock too
            } catch (IOException e) {
                LOG.warn("cannot close embedding store {}: {}", file, e.getMessage());
            }
        }
    }
}
