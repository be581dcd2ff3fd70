package dev.triage.http;

import dev.triage.caching.PromptCachePolicy;
import java.time.Duration;
import java.util.List;

/**
 * How the HTTP gateway listens.
 *
 * @param host             interface to bind (127.0.0.1 unless configured otherwise)
 * @param port             TCP port; 0 picks a free one
 * @param apiKeys          bearer keys that may call the gateway; empty leaves it open
 * @param maxBodyBytes     largest request body accepted (413 above it)
 * @param shutdownGrace    how long {@link GatewayServer#close()} lets requests in flight finish once it
 *                         has stopped accepting connections
 * @param maxBodyHeapBytes the heap request bodies in flight may claim together ({@link BodyBudget})
 * @param allowedHosts     {@code Host} names accepted besides the loopback names and {@code host}
 * @param allowedOrigins   browser origins accepted besides the gateway's own ({@link CrossSiteGuard})
 * @param connections      how many client connections, and how slow or idle one may be
 * @param promptCache      what providers' prompt caches are asked to do ({@code prompt_cache})
 */
public record ServerSettings(String host, int port, List<String> apiKeys, long maxBodyBytes, Duration shutdownGrace,
                             long maxBodyHeapBytes, List<String> allowedHosts, List<String> allowedOrigins,
                             ConnectionLimits connections, PromptCachePolicy promptCache) {

    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public ServerSettings {
        apiKeys = List.copyOf(apiKeys);
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace cannot be negative");
        }
        if (maxBodyHeapBytes < BodyBudget.charge(maxBodyBytes)) {
            throw new IllegalArgumentException("maxBodyHeapBytes (" + maxBodyHeapBytes + ") cannot hold one body of maxBodyBytes ("
                    + maxBodyBytes + "), which claims " + BodyBudget.charge(maxBodyBytes));
        }
    }

    /** With the default shutdown grace period, half the heap for bodies, default connection limits, and no extra hosts or origins. */
    public ServerSettings(String host, int port, List<String> apiKeys, long maxBodyBytes) {
        this(host, port, apiKeys, maxBodyBytes, DEFAULT_SHUTDOWN_GRACE,
                Math.max(Runtime.getRuntime().maxMemory() / 2, BodyBudget.charge(maxBodyBytes)), List.of(), List.of(),
                ConnectionLimits.defaults(), PromptCachePolicy.DEFAULT);
    }
}
