package dev.triage.routing;

import dev.triage.scoring.ScorerSpec;
import dev.triage.analysis.TaskProfile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the router decided for one request, and why. It is computed without calling any model, so
 * {@code triage route} can print it, and it travels with the request into the response headers and
 * every ledger row.
 *
 * @param route      the route name (or the model id for a concrete-model request)
 * @param policy     {@code task}, {@code tiered}, {@code cascade}, {@code learned}, or {@code model}
 * @param profile    the request's task profile
 * @param tier       the cost tier chosen (tiered routes), else null
 * @param downgraded whether a spent budget moved the request to a cheaper tier
 * @param steps      the plan, in order
 * @param scorer     the confidence scorer for steps with an acceptance threshold
 * @param reasons    why, in plain words, in the order the router reasoned
 * @param predicted  learned routes: each candidate's predicted quality (clamped to 0..1), in the plan's
 *                   order; empty for other policies
 */
public record Decision(String route, String policy, TaskProfile profile, String tier, boolean downgraded,
                       List<Step> steps, ScorerSpec scorer, List<String> reasons, Map<String, Double> predicted) {

    public Decision {
        steps = List.copyOf(steps);
        reasons = List.copyOf(reasons);
        predicted = Collections.unmodifiableMap(new LinkedHashMap<>(predicted));
    }

    /** A decision of a policy that predicts nothing. */
    public Decision(String route, String policy, TaskProfile profile, String tier, boolean downgraded,
                    List<Step> steps, ScorerSpec scorer, List<String> reasons) {
        this(route, policy, profile, tier, downgraded, steps, scorer, reasons, Map.of());
    }

    /** This decision with one more reason (and, when given, another plan). */
    public Decision withReason(String reason, List<Step> newSteps) {
        List<String> more = new java.util.ArrayList<>(reasons);
        more.add(reason);
        return new Decision(route, policy, profile, tier, downgraded, newSteps == null ? steps : newSteps, scorer, more, predicted);
    }

    /** The context-sharing arm this decision's request is in ({@code compact} or {@code full}), or null. */
    public String contextArm() {
        return reasons.stream().filter(r -> r.startsWith(CONTEXT_ARM)).map(r -> r.substring(CONTEXT_ARM.length()))
                .reduce((a, b) -> b).orElse(null);
    }

    /** How a decision's reasons name its context-sharing arm. */
    public static final String CONTEXT_ARM = "context arm: ";

    /** The model the plan calls first. */
    public String firstModel() {
        return steps.getFirst().models().getFirst();
    }

    /** The decision in one line, for logs, headers and the ledger. */
    public String summary() {
        StringBuilder b = new StringBuilder(policy).append(' ').append(route).append(": task=")
                .append(profile.taskType()).append(profile.taskHinted() ? " (hint)" : String.format(" (%.2f)", profile.confidence()))
                .append(", complexity=").append(profile.complexity().name().toLowerCase())
                .append(", quality=").append(profile.quality().wireName())
                .append(", input=").append(profile.inputTokens()).append(" tokens");
        if (tier != null) {
            b.append(", tier=").append(tier).append(downgraded ? " (downgraded)" : "");
        }
        b.append(" -> ");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            b.append(i == 0 ? "" : " | ").append(String.join(">", s.models()));
            if (s.acceptConfidence() != null) {
                b.append(" accept>=").append(s.acceptConfidence());
            }
        }
        if (!reasons.isEmpty()) {
            b.append("; ").append(String.join("; ", reasons));
        }
        return b.toString();
    }
}
