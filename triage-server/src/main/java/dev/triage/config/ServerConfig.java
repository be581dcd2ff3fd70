package dev.triage.config;

import dev.triage.http.BodyBudget;
import dev.triage.http.ConnectionLimits;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's HTTP side ({@code server:}).
 *
 * @param host              address to bind
 * @param port              port to bind; 0 picks a free one
 * @param apiKeys           bearer keys that callers must present; empty leaves the gateway open
 * @param maxBodyBytes      largest request body accepted (larger gets 413)
 * @param requestTimeout    the one deadline per request, covering every retry and fallback
 * @param streamIdleTimeout longest silence tolerated from an upstream stream
 * @param shutdownGrace     on SIGTERM, how long requests in flight (streams included) may take to finish
 *                          once no new connections are accepted; zero stops at once
 * @param maxBodyHeapBytes  the heap request bodies in flight may claim together, as {@link BodyBudget} charges
 *                          them; a request that does not fit now gets 503
 * @param allowedHosts      {@code Host} names accepted besides the loopback names and {@link #host}
 * @param allowedOrigins    browser origins ({@code scheme://host[:port]}) accepted besides the gateway's own
 * @param maxConnections    client connections open at once, at most
 * @param headerTimeout     longest time a client may take over a request head
 * @param idleTimeout       longest silence on a client connection
 */
public record ServerConfig(String host, int port, List<String> apiKeys, long maxBodyBytes,
                           Duration requestTimeout, Duration streamIdleTimeout, Duration shutdownGrace,
                           long maxBodyHeapBytes, List<String> allowedHosts, List<String> allowedOrigins,
                           int maxConnections, Duration headerTimeout, Duration idleTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(120_000);
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMillis(30_000);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofMillis(30_000);
    /** Shorter keys can be guessed; a key is a password that every client holds. */
    public static final int MIN_API_KEY_CHARS = 16;
    public static final int DEFAULT_MAX_CONNECTIONS = ConnectionLimits.DEFAULT_MAX_CONNECTIONS;
    public static final Duration DEFAULT_HEADER_TIMEOUT = ConnectionLimits.DEFAULT_HEADER_TIMEOUT;
    public static final Duration DEFAULT_IDLE_TIMEOUT = ConnectionLimits.DEFAULT_IDLE_TIMEOUT;

    public ServerConfig {
        apiKeys = List.copyOf(apiKeys);
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** With the default shutdown grace period, body heap budget, connection limits and no extra hosts or origins. */
    public ServerConfig(String host, int port, List<String> apiKeys, long maxBodyBytes, Duration requestTimeout,
                        Duration streamIdleTimeout) {
        this(host, port, apiKeys, maxBodyBytes, requestTimeout, streamIdleTimeout, DEFAULT_SHUTDOWN_GRACE,
                defaultMaxBodyHeapBytes(maxBodyBytes, Runtime.getRuntime().maxMemory()), List.of(), List.of(),
                DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, List.of(), DEFAULT_MAX_BODY_BYTES,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_STREAM_IDLE_TIMEOUT);
    }

    /**
     * Half the JVM's maximum heap (the other half is the gateway's own: caches, connections, the ledger
     * queue, responses), but never less than one body of the largest size needs, or it could never be served.
     */
    public static long defaultMaxBodyHeapBytes(long maxBodyBytes, long maxHeapBytes) {
        return Math.max(maxHeapBytes / 2, BodyBudget.charge(maxBodyBytes));
    }

    /** This config listening on another port. */
    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, apiKeys, maxBodyBytes, requestTimeout, streamIdleTimeout, shutdownGrace,
                maxBodyHeapBytes, allowedHosts, allowedOrigins, maxConnections, headerTimeout, idleTimeout);
    }

    /** True when callers must present one of {@link #apiKeys}. */
    public boolean requiresAuth() {
        return !apiKeys.isEmpty();
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + " [redacted]"
                + ", maxBodyBytes=" + maxBodyBytes + ", requestTimeout=" + requestTimeout
                + ", streamIdleTimeout=" + streamIdleTimeout + ", shutdownGrace=" + shutdownGrace
                + ", maxBodyHeapBytes=" + maxBodyHeapBytes + ", allowedHosts=" + allowedHosts
                + ", allowedOrigins=" + allowedOrigins + ", maxConnections=" + maxConnections + ", headerTimeout=" + headerTimeout
                + ", idleTimeout=" + idleTimeout + "]";
    }
}
