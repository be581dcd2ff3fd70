package dev.triage.responsecache;

import dev.triage.responsecache.SemanticMatcher.Candidate;
import dev.triage.responsecache.SemanticMatcher.Match;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The probes of cached questions, by bucket (the caller's key for tenant, route/model and non-message
 * parameters: only questions in the same bucket can answer each other). Bounded twice: {@code maxEntries} in
 * all, and {@code maxPerBucket} per bucket so that a lookup compares a bounded number of vectors; either bound
 * evicts the oldest entry. Expired entries never match. Thread-safe: lookups share a read lock, changes take
 * the write lock.
 */
public final class SemanticIndex {

    /** A bucket's bound unless told otherwise: 256 vectors of 384 dimensions are about 0.1 ms to compare. */
    public static final int DEFAULT_MAX_PER_BUCKET = 256;

    private final SemanticMatcher matcher;
    private final int maxEntries;
    private final int maxPerBucket;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    // guarded by lock; both in insertion order, oldest first
    private final Map<String, LinkedHashMap<String, Entry>> buckets = new HashMap<>();
    private final LinkedHashMap<Key, Entry> all = new LinkedHashMap<>();

    public SemanticIndex(SemanticMatcher matcher, int maxEntries, int maxPerBucket) {
        this.matcher = Objects.requireNonNull(matcher, "matcher");
        if (maxEntries < 1 || maxPerBucket < 1) {
            throw new IllegalArgumentException("a semantic index needs max entries >= 1 and max per bucket >= 1, got "
                    + maxEntries + " and " + maxPerBucket);
        }
        this.maxEntries = maxEntries;
        this.maxPerBucket = maxPerBucket;
    }

    /** Adds (or replaces, as the newest) entry {@code id} of {@code bucket}; it matches until {@code expiresAtMillis}. */
    public void add(String bucket, String id, SemanticProbe probe, long expiresAtMillis) {
        Entry entry = new Entry(new Key(bucket, id), new Candidate(id, probe), expiresAtMillis);
        lock.writeLock().lock();
        try {
            removeLocked(entry.key);
            LinkedHashMap<String, Entry> entries = buckets.computeIfAbsent(bucket, b -> new LinkedHashMap<>());
            entries.put(id, entry);
            all.put(entry.key, entry);
            if (entries.size() > maxPerBucket) {
                removeLocked(entries.values().iterator().next().key);
            }
            if (all.size() > maxEntries) {
                removeLocked(all.values().iterator().next().key);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The entry of {@code bucket} that answers {@code query}, if one does and has not expired at {@code nowMillis}. */
    public Optional<Match> find(String bucket, SemanticProbe query, long nowMillis) {
        return find(bucket, query, nowMillis, matcher);
    }

    /** {@link #find(String, SemanticProbe, long)} under other settings (a route's own threshold). */
    public Optional<Match> find(String bucket, SemanticProbe query, long nowMillis, SemanticSettings settings) {
        return find(bucket, query, nowMillis, matcher.with(settings));
    }

    private Optional<Match> find(String bucket, SemanticProbe query, long nowMillis, SemanticMatcher matcher) {
        List<Candidate> live;
        lock.readLock().lock();
        try {
            LinkedHashMap<String, Entry> entries = buckets.get(bucket);
            if (entries == null) {
                return Optional.empty();
            }
            live = new ArrayList<>(entries.size());
            for (Entry e : entries.values()) {
                if (e.expiresAtMillis > nowMillis) {
                    live.add(e.candidate);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return matcher.best(query, live);
    }

    /** Forgets entry {@code id} of {@code bucket}, if present. */
    public void remove(String bucket, String id) {
        lock.writeLock().lock();
        try {
            removeLocked(new Key(bucket, id));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops every entry expired at {@code nowMillis} (they never match anyway; this frees their memory). */
    public void purgeExpired(long nowMillis) {
        lock.writeLock().lock();
        try {
            for (Entry e : List.copyOf(all.values())) {
                if (e.expiresAtMillis <= nowMillis) {
                    removeLocked(e.key);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Entries held, expired ones included until evicted or purged. */
    public int size() {
        lock.readLock().lock();
        try {
            return all.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void removeLocked(Key key) {
        if (all.remove(key) == null) {
            return;
        }
        LinkedHashMap<String, Entry> entries = buckets.get(key.bucket);
        entries.remove(key.id);
        if (entries.isEmpty()) {
            buckets.remove(key.bucket);
        }
    }

    private record Key(String bucket, String id) {
    }

    private record Entry(Key key, Candidate candidate, long expiresAtMillis) {
    }
}
