package dev.triage.responsecache;

/** What the response cache did for a request, as {@code x-triage-cache-status} says it. */
public enum CacheStatus {
    /** Answered from the cache: the same request was answered before. */
    HIT_EXACT("hit-exact"),
    /** Answered from the cache: a question close enough in meaning, with the same history and parameters, was answered before. */
    HIT_SEMANTIC("hit-semantic"),
    /** Looked up, not found: answered upstream, and the answer kept. */
    MISS("miss"),
    /** Not looked up: the cache is off for the route or the request, or the request's answer is not repeatable. */
    BYPASS("bypass");

    private final String wire;

    CacheStatus(String wire) {
        this.wire = wire;
    }

    /** The header's value. */
    public String wire() {
        return wire;
    }

    public boolean hit() {
        return this == HIT_EXACT || this == HIT_SEMANTIC;
    }
}
