package dev.triage.http;

import java.util.List;

/**
 * How the HTTP gateway listens.
 *
 * @param host         interface to bind (127.0.0.1 unless configured otherwise)
 * @param port         TCP port; 0 picks a free one
 * @param apiKeys      bearer keys that may call the gateway; empty leaves it open
 * @param maxBodyBytes largest request body accepted (413 above it)
 */
public record ServerSettings(String host, int port, List<String> apiKeys, long maxBodyBytes) {

    public ServerSettings {
        apiKeys = List.copyOf(apiKeys);
    }
}
