package dev.triage.learn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small LRU of predictions by prompt: a repeated prompt (a retry, a simulator sweep) costs a lookup. */
final class PredictionCache {

    private final Map<String, Map<String, Double>> entries;

    PredictionCache(int capacity) {
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Double>> eldest) {
                return size() > capacity;
            }
        };
    }

    Map<String, Double> get(String prompt, Function<String, Map<String, Double>> compute) {
        synchronized (entries) {
            Map<String, Double> hit = entries.get(prompt);
            if (hit != null) {
                return hit;
            }
        }
        Map<String, Double> value = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(compute.apply(prompt)));
        synchronized (entries) {
            entries.put(prompt, value);
        }
        return value;
    }
}
