package dev.triage.ledger;

import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.time.Instant;

/**
 * One upstream attempt that may have cost money. Every attempt becomes exactly one entry,
 * successful or not.
 *
 * @param requestId  the gateway request id ({@code x-triage-request-id})
 * @param attempt    1-based position of this attempt within the request (retries and fallbacks count)
 * @param route      the route name the client asked for, or the model id when it asked for a model
 * @param model      Triage's model id
 * @param provider   the configured provider name
 * @param usage      token counts; {@code usage.estimated()} marks counts that were not provider-reported
 * @param cost       exact cost of the attempt
 * @param cacheSaving what provider prompt caching saved on the attempt: its cost with every input token at the
 *                   plain input price, minus {@code cost} ({@link dev.triage.catalog.Price#cacheSaving}); negative
 *                   when a cache write cost more than it saved; as estimated as the usage ({@code usage.estimated()})
 * @param latencyMs  from sending the upstream request to its end
 * @param ttftMs     time to first token for streams, else null
 * @param status     how it ended
 * @param errorKind  the {@code ErrorKind} name for errors, else null
 * @param httpStatus the upstream HTTP status, 0 if there was none
 * @param stream     whether the attempt was streamed
 * @param user       the OpenAI {@code user} field, or null
 * @param task       the task type the router assigned, or null
 * @param tier       the cost tier the router assigned, or null
 * @param step       which step of the routing plan made the call: null for a plain answer,
 *                   {@code stage N/M} for cascade stages and escalations, {@code fallback} for a task
 *                   rule's fallback, {@code judge} / {@code sample} for calls made by a confidence scorer,
 *                   {@code cache storage} for an explicit provider cache bought for the request (Gemini's
 *                   {@code cachedContents}: its creation and storage time, an estimate, so its usage is marked
 *                   estimated and its cacheSaving is minus the storage fee)
 * @param decision   the routing decision in one line (policy, profile, chosen model, reasons), or null
 * @param time       when the attempt started
 * @param apiKey     the name of the virtual key the request came with, or null (a {@code server.api_keys} key or none)
 * @param contextArm the shared-context arm of the request's session ({@code compact} or {@code full}) on a route that
 *                   shares context, or null; every attempt of the request carries it, summarizer calls included
 */
public record LedgerEntry(String requestId, int attempt, String route, String model, String provider, Usage usage,
                          Money cost, Money cacheSaving, long latencyMs, Long ttftMs, AttemptStatus status, String errorKind,
                          int httpStatus, boolean stream, String user, String task, String tier, String step,
                          String decision, Instant time, String apiKey, String contextArm) implements LedgerRecord {

    /** An entry outside any context-sharing arm. */
    public LedgerEntry(String requestId, int attempt, String route, String model, String provider, Usage usage,
                       Money cost, Money cacheSaving, long latencyMs, Long ttftMs, AttemptStatus status, String errorKind,
                       int httpStatus, boolean stream, String user, String task, String tier, String step,
                       String decision, Instant time, String apiKey) {
        this(requestId, attempt, route, model, provider, usage, cost, cacheSaving, latencyMs, ttftMs, status, errorKind,
                httpStatus, stream, user, task, tier, step, decision, time, apiKey, null);
    }

    /** An entry whose prompt-cache saving is not known (counted as zero). */
    public LedgerEntry(String requestId, int attempt, String route, String model, String provider, Usage usage,
                       Money cost, long latencyMs, Long ttftMs, AttemptStatus status, String errorKind,
                       int httpStatus, boolean stream, String user, String task, String tier, String step,
                       String decision, Instant time, String apiKey) {
        this(requestId, attempt, route, model, provider, usage, cost, Money.ZERO, latencyMs, ttftMs, status, errorKind,
                httpStatus, stream, user, task, tier, step, decision, time, apiKey);
    }

    /** An entry of a request without a virtual key. */
    public LedgerEntry(String requestId, int attempt, String route, String model, String provider, Usage usage,
                       Money cost, long latencyMs, Long ttftMs, AttemptStatus status, String errorKind,
                       int httpStatus, boolean stream, String user, String task, String tier, String step,
                       String decision, Instant time) {
        this(requestId, attempt, route, model, provider, usage, cost, latencyMs, ttftMs, status, errorKind, httpStatus,
                stream, user, task, tier, step, decision, time, null);
    }

    /** An entry made outside any routing plan (no step, no decision). */
    public LedgerEntry(String requestId, int attempt, String route, String model, String provider, Usage usage,
                       Money cost, long latencyMs, Long ttftMs, AttemptStatus status, String errorKind,
                       int httpStatus, boolean stream, String user, String task, String tier, Instant time) {
        this(requestId, attempt, route, model, provider, usage, cost, latencyMs, ttftMs, status, errorKind, httpStatus,
                stream, user, task, tier, null, null, time);
    }
}
