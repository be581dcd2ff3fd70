package dev.triage.routing;

import dev.triage.analysis.TaskType;
import java.time.Duration;
import java.util.Map;

/**
 * Strategy 1, the seed's {@code TASK_MODEL_MAP}: a model per task type.
 *
 * @param rules       one rule per task type
 * @param defaultTask the type whose rule applies to a task type without a rule
 * @param scorer      how the {@code threshold} of a rule is checked (answers below it go to the rule's fallback)
 */
public record TaskRouteSpec(String name, Map<TaskType, Rule> rules, TaskType defaultTask, ScorerSpec scorer,
                            QualityFloor floor) implements RouteSpec {

    public TaskRouteSpec {
        rules = Map.copyOf(rules);
    }

    /**
     * @param model          the model for this task type
     * @param threshold      0..1 confidence under which the answer is not accepted and {@code fallback} runs; null = accept any answer
     * @param fallback       the model tried on low confidence, errors, too-long input or a blown latency budget; null = none
     * @param maxInputTokens longer prompts go straight to {@code fallback} (or to a model with a larger context); null = no limit
     * @param maxLatency     latency budget of the call to {@code model}; on timeout the fallback runs, else the request fails; null = none
     * @param thinking       turn on the provider's reasoning mode (OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig)
     */
    public record Rule(String model, Double threshold, String fallback, Integer maxInputTokens, Duration maxLatency,
                       boolean thinking) {
    }
}
