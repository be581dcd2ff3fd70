package dev.triage.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Receives a stream's chunks as they arrive, each an OpenAI {@code chat.completion.chunk} object
 * with one choice (index 0, or that choice's index when the request asked for several with {@code n})
 * and no usage. A chunk is the sink's once handed over: the provider keeps no reference to it, so the
 * sink may re-address it (the dispatcher sets the gateway's id and model).
 * Throws {@link ClientGoneException} when the client went away; providers let it propagate and close
 * the upstream connection.
 */
@FunctionalInterface
public interface ChunkSink {
    void onChunk(ObjectNode chunk);
}
