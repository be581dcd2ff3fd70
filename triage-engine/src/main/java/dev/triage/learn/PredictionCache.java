package dev.triage.learn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small LRU of predictions by key: a repeated prompt (a retry, a simulator sweep) costs a lookup. */
final class PredictionCache<V> {

    private final Map<String, V> entries;

    PredictionCache(int capacity) {
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(String key, Function<String, V> compute) {
        synchronized (entries) {
            V hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        V value = compute.apply(key);
        put(key, value);
        return value;
    }

    void put(String key, V value) {
        synchronized (entries) {
            entries.put(key, value);
        }
    }
}
