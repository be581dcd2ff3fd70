package dev.triage.dispatch;

import dev.triage.provider.Deadline;

/**
 * What the dispatcher needs to know about the request beyond its body.
 *
 * @param requestId the gateway's id for the request
 * @param route     the route or model name the client asked for (recorded in the ledger)
 * @param user      the OpenAI {@code user} field, or null
 * @param task      the task type assigned by routing, or null
 * @param tier      the cost tier assigned by routing, or null
 * @param deadline  the one deadline covering every attempt
 */
public record RequestContext(String requestId, String route, String user, String task, String tier, Deadline deadline) {
}
