package dev.triage.caching;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Sessions in this process, at most {@code capacity} of them; the least recently used go first. */
public final class InMemorySessionStore implements SessionStore {

    /** Sessions kept by default: at ~200 bytes each, about 20 MB. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final Map<String, SessionState> sessions;

    public InMemorySessionStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionState> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized Optional<SessionState> get(String session) {
        return Optional.ofNullable(sessions.get(session));
    }

    @Override
    public synchronized void put(String session, SessionState state) {
        sessions.put(session, state);
    }

    synchronized int size() {
        return sessions.size();
    }
}
