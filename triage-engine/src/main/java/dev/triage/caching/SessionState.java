package dev.triage.caching;

import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway knows of a conversation's provider cache: the model that answered its last turn,
 * when (which warmed that model's cache with the turn's prompt), and how long that prompt was.
 *
 * @param prefixTokens the last turn's prompt tokens: what a next turn on the same model may read from cache
 */
public record SessionState(String model, Instant warmedAt, long prefixTokens) {

    public SessionState {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(warmedAt, "warmedAt");
    }
}
