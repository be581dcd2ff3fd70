package dev.triage.context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where sessions' shared contexts are kept: in this process ({@link #inMemory}), or in Redis with
 * {@code storage.redis} so every instance continues a conversation from the same shared context. A
 * store that cannot be reached forgets: the next compaction writes the shared context again.
 */
public interface ContextStore {

    Optional<SharedContext> get(String session);

    void put(String session, SharedContext context);

    /** The {@code capacity} most recently used sessions, in this process. */
    static ContextStore inMemory(int capacity) {
        Map<String, SharedContext> sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SharedContext> eldest) {
                return size() > capacity;
            }
        };
        return new ContextStore() {
            @Override
            public Optional<SharedContext> get(String session) {
                synchronized (sessions) {
                    return Optional.ofNullable(sessions.get(session));
                }
            }

            @Override
            public void put(String session, SharedContext context) {
                synchronized (sessions) {
                    sessions.put(session, context);
                }
            }
        };
    }
}
