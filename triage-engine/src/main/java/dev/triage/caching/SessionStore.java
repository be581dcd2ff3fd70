package dev.triage.caching;

import java.util.Optional;

/**
 * Where the gateway keeps {@link SessionState}s by session id: in memory, bounded
 * ({@link InMemorySessionStore}), or in Redis with {@code storage.redis}, so every instance sees them.
 * A store that cannot be reached answers empty: cache-awareness is a saving, never a reason to refuse.
 */
public interface SessionStore {

    /** No sessions kept: routing is not cache-aware. */
    SessionStore NONE = new SessionStore() {
        @Override
        public Optional<SessionState> get(String session) {
            return Optional.empty();
        }

        @Override
        public void put(String session, SessionState state) {
        }
    };

    Optional<SessionState> get(String session);

    /** Records the conversation's latest turn. */
    void put(String session, SessionState state);
}
