package dev.triage.http;

import java.util.List;

/**
 * What one chat-completions request came to, as the gateway saw it. Carries no prompt, user or key.
 *
 * @param route           the route or catalog model the client asked for; null when the request was refused
 *                        before its {@code model} was known to be one (so no client-chosen string becomes a label)
 * @param policy          {@code task}, {@code tiered}, {@code cascade} or {@code model}; null when {@code route} is
 * @param model           the model that answered (or started streaming), else null
 * @param tier            the tier of a tiered route, else null
 * @param downgraded      whether a spent budget moved the request to a cheaper tier
 * @param attempts        the models called, in order, each once
 * @param escalations     answers the route's scorer did not accept (cascade steps)
 * @param status          the HTTP status sent (200 for a stream that failed after its first byte)
 * @param errorCode       the OpenAI-shaped error code the client got (in the body or in-band), else null
 * @param stream          whether the client asked for a stream
 * @param durationNanos   from the handler's start to the end of the response
 * @param firstChunkNanos from the handler's start to the first streamed chunk, or -1
 */
public record CompletedRequest(String route, String policy, String model, String tier, boolean downgraded,
                               List<String> attempts, int escalations, int status, String errorCode, boolean stream,
                               long durationNanos, long firstChunkNanos) {

    public CompletedRequest {
        attempts = List.copyOf(attempts);
    }

    /**
     * Whether the request was answered after a model of its plan failed: answered by a model other than
     * the first one tried, for a reason other than a cascade escalation.
     */
    public boolean fellBack() {
        return model != null && errorCode == null && attempts.size() - 1 > escalations;
    }
}
