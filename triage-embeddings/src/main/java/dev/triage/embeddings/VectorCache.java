package dev.triage.embeddings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The most recently used embeddings, at most {@code capacity} of them (about 1.6 KB each). A lock
 * rather than {@code synchronized}, so a virtual thread waiting for it does not pin its carrier on JDK 21.
 */
final class VectorCache {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<TextKey, float[]> entries;

    VectorCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TextKey, float[]> eldest) {
                return size() > VectorCache.this.capacity;
            }
        };
    }

    /** The cached vector (not a copy), or null. */
    float[] get(TextKey key) {
        if (capacity == 0) {
            return null;
        }
        lock.lock();
        try {
            return entries.get(key);
        } finally {
            lock.unlock();
        }
    }

    void put(TextKey key, float[] vector) {
        if (capacity == 0) {
            return;
        }
        lock.lock();
        try {
            entries.put(key, vector);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
