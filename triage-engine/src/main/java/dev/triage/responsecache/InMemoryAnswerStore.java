package dev.triage.responsecache;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers in this process: at most {@code capacity} of them and {@code maxBytes} of them together (as JSON), the
 * least recently used evicted first, each until its ttl.
 */
public final class InMemoryAnswerStore implements AnswerStore {

    private record Held(CachedAnswer answer, long bytes, long expiresAtMillis) {
    }

    private final Map<String, Held> answers = new LinkedHashMap<>(16, 0.75f, true);
    private final int capacity;
    private final long maxBytes;
    private final Clock clock;
    private long bytes;

    public InMemoryAnswerStore(int capacity, long maxBytes, Clock clock) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("capacity and max bytes must be at least 1");
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<CachedAnswer> get(String key) {
        Held held = answers.get(key);
        if (held == null) {
            return Optional.empty();
        }
        if (held.expiresAtMillis <= clock.millis()) {
            remove(key);
            return Optional.empty();
        }
        return Optional.of(held.answer);
    }

    @Override
    public synchronized void put(String key, CachedAnswer answer, long size, Duration ttl) {
        if (size > maxBytes) {
            return;
        }
        remove(key);
        answers.put(key, new Held(answer, size, clock.millis() + ttl.toMillis()));
        bytes += size;
        Iterator<Held> eldest = answers.values().iterator();
        while (answers.size() > capacity || bytes > maxBytes) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    private void remove(String key) {
        Held gone = answers.remove(key);
        if (gone != null) {
            bytes -= gone.bytes();
        }
    }

    synchronized int size() {
        return answers.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
