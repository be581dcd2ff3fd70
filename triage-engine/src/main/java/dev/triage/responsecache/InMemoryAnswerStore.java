package dev.triage.responsecache;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Answers in this process: at most {@code capacity}, the least recently used evicted first, each until its ttl. */
public final class InMemoryAnswerStore implements AnswerStore {

    private record Held(CachedAnswer answer, long expiresAtMillis) {
    }

    private final Map<String, Held> answers;
    private final Clock clock;

    public InMemoryAnswerStore(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.clock = clock;
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized Optional<CachedAnswer> get(String key) {
        Held held = answers.get(key);
        if (held == null) {
            return Optional.empty();
        }
        if (held.expiresAtMillis <= clock.millis()) {
            answers.remove(key);
            return Optional.empty();
        }
        return Optional.of(held.answer);
    }

    @Override
    public synchronized void put(String key, CachedAnswer answer, Duration ttl) {
        answers.put(key, new Held(answer, clock.millis() + ttl.toMillis()));
    }

    synchronized int size() {
        return answers.size();
    }
}
