package dev.triage.dispatch;

import dev.triage.provider.Deadline;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the dispatcher needs to know about the request beyond its body.
 *
 * @param requestId the gateway's id for the request
 * @param route     the route or model name the client asked for (recorded in the ledger)
 * @param user      the OpenAI {@code user} field, or null
 * @param task      the task type assigned by routing, or null
 * @param tier      the cost tier assigned by routing, or null
 * @param step      the routing plan's step making the calls (see {@code LedgerEntry.step}), or null
 * @param decision  the routing decision in one line, or null
 * @param deadline  the one deadline covering every attempt
 * @param attempts  numbers the request's upstream attempts across every step, 1, 2, 3…
 * @param apiKey    the name of the virtual key the request came with, or null
 * @param contextArm the shared-context arm of the request's session ({@code compact} or {@code full}), or null
 */
public record RequestContext(String requestId, String route, String user, String task, String tier, String step,
                             String decision, Deadline deadline, AtomicInteger attempts, String apiKey, String contextArm) {

    public RequestContext(String requestId, String route, String user, String task, String tier, Deadline deadline) {
        this(requestId, route, user, task, tier, null, null, deadline, new AtomicInteger(), null, null);
    }

    /** The same request, made with the virtual key named {@code name}. */
    public RequestContext withApiKey(String name) {
        return new RequestContext(requestId, route, user, task, tier, step, decision, deadline, attempts, name, contextArm);
    }

    /** The same request, for another step of its plan (attempt numbers continue). */
    public RequestContext forStep(String newStep, Deadline newDeadline) {
        return new RequestContext(requestId, route, user, task, tier, newStep, decision, newDeadline, attempts, apiKey, contextArm);
    }

    /** The same request as routing decided it: its task type, tier, decision and context-sharing arm (each may be null). */
    public RequestContext withRouting(String newTask, String newTier, String newDecision, String newContextArm) {
        return new RequestContext(requestId, route, user, newTask, newTier, step, newDecision, deadline, attempts, apiKey, newContextArm);
    }
}
