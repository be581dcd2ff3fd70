package dev.triage.http;

/**
 * Hears about every {@code POST /v1/chat/completions} once it is over, answered or not (metrics).
 * Called on the request's thread, so it must return quickly and must not block.
 */
@FunctionalInterface
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = request -> { };

    void onRequest(CompletedRequest request);
}
