package dev.triage.routing;

import java.time.Duration;
import java.util.List;

/**
 * One step of a routing plan: call {@code models} (the first, then the others as fallbacks on errors),
 * and, if {@code acceptConfidence} is set and a later step exists, accept the answer only when the
 * route's scorer is at least that confident.
 *
 * @param label            how the step is marked in the ledger ({@code stage 1/3}, {@code fallback}), or null
 * @param models           model ids in order of preference
 * @param acceptConfidence 0..1, or null to accept any answer
 * @param latencyBudget    the most this step may take (the task rule's {@code max_latency_ms}), or null
 * @param thinking         turn on the provider's reasoning mode for this step
 */
public record Step(String label, List<String> models, Double acceptConfidence, Duration latencyBudget, boolean thinking) {

    public Step {
        models = List.copyOf(models);
    }

    public static Step of(String... models) {
        return new Step(null, List.of(models), null, null, false);
    }
}
