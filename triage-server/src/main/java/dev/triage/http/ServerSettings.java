package dev.triage.http;

import java.time.Duration;
import java.util.List;

/**
 * How the HTTP gateway listens.
 *
 * @param host         interface to bind (127.0.0.1 unless configured otherwise)
 * @param port         TCP port; 0 picks a free one
 * @param apiKeys      bearer keys that may call the gateway; empty leaves it open
 * @param maxBodyBytes  largest request body accepted (413 above it)
 * @param shutdownGrace how long {@link GatewayServer#close()} lets requests in flight finish once it
 *                      has stopped accepting connections
 */
public record ServerSettings(String host, int port, List<String> apiKeys, long maxBodyBytes, Duration shutdownGrace) {

    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public ServerSettings {
        apiKeys = List.copyOf(apiKeys);
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace cannot be negative");
        }
    }

    /** With the default shutdown grace period. */
    public ServerSettings(String host, int port, List<String> apiKeys, long maxBodyBytes) {
        this(host, port, apiKeys, maxBodyBytes, DEFAULT_SHUTDOWN_GRACE);
    }
}
