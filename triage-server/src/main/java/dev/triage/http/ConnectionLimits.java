package dev.triage.http;

import java.time.Duration;

/**
 * How many client connections the gateway keeps, and how long one may take over its request head or
 * stay silent.
 *
 * <p>The memory arithmetic (heap histograms of the gateway under slow clients; {@code ConnectionGuard}
 * has the figures): a connection still sending its request head holds at most
 * {@link #WORST_CASE_BYTES_PER_CONNECTION} of heap, so the default {@link #DEFAULT_MAX_CONNECTIONS}
 * hold at most 512 x 24 KB = 12 MB. Under the launcher's {@code -Xmx128m} (serial GC: 43 MB young,
 * 85 MB old generation) the gateway itself keeps 44 MB live, which leaves about 29 MB of the old
 * generation for the requests being answered. Each 1,000 more connections need 24 MB more heap.
 *
 * @param maxConnections open connections at most; at the limit Triage closes the connections that have
 *                       waited longest without a request being handled (slow request heads first, then
 *                       idle keep-alive connections), never one whose request is being answered
 * @param headerTimeout  longest time from a request's first byte to the end of its head; past it the
 *                       connection is closed
 * @param idleTimeout    longest silence on a connection, between requests or inside one
 */
public record ConnectionLimits(int maxConnections, Duration headerTimeout, Duration idleTimeout) {

    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Jetty's own default, kept. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Largest request head (request line and header fields), as Jetty's default: larger gets 431. */
    public static final int MAX_HEAD_BYTES = 8 * 1024;
    /** Most header fields in one request head, as Tomcat's default: more gets 431. */
    public static final int MAX_HEADER_FIELDS = 100;
    /**
     * Heap held by one connection whose unfinished head is at both limits above: 23.8 KB measured
     * (98 fields of 80 bytes; see {@code ConnectionGuard}).
     */
    public static final long WORST_CASE_BYTES_PER_CONNECTION = 24 * 1024;

    public ConnectionLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }
}
