package dev.triage.routing;

import dev.triage.analysis.TaskProfile;
import dev.triage.analysis.TaskType;
import dev.triage.chat.ChatRequest;
import dev.triage.scoring.ScorerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Strategy 1, the seed's {@code TASK_MODEL_MAP}: a model per task type.
 *
 * @param rules       one rule per task type
 * @param defaultTask the type whose rule applies to a task type without a rule
 * @param scorer      how the {@code threshold} of a rule is checked (answers below it go to the rule's fallback)
 */
public record TaskRouteSpec(String name, Map<TaskType, Rule> rules, TaskType defaultTask, ScorerSpec scorer,
                            QualityFloor floor) implements RouteSpec {

    public static final String POLICY = "task";

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

    @Override
    public String policy() {
        return POLICY;
    }

    @Override
    public List<String> models() {
        Set<String> ids = new LinkedHashSet<>();
        rules.values().forEach(rule -> {
            ids.add(rule.model());
            if (rule.fallback() != null) {
                ids.add(rule.fallback());
            }
        });
        return List.copyOf(ids);
    }

    @Override
    public TaskRouteSpec named(String name) {
        return new TaskRouteSpec(name, rules, defaultTask, scorer, floor);
    }

    @Override
    public TaskRouteSpec renamed(UnaryOperator<String> rename) {
        Map<TaskType, Rule> mapped = new LinkedHashMap<>();
        rules.forEach((type, r) -> mapped.put(type, new Rule(rename.apply(r.model()), r.threshold(),
                r.fallback() == null ? null : rename.apply(r.fallback()), r.maxInputTokens(), r.maxLatency(), r.thinking())));
        return new TaskRouteSpec(name, mapped, defaultTask, scorer, floor.renamed(rename));
    }

    @Override
    public Decision decide(Router router, ChatRequest request, TaskProfile profile, Set<String> spentTiers) {
        List<String> reasons = new ArrayList<>();
        TaskType type = profile.taskType();
        Rule rule = rules.get(type);
        if (rule == null) {
            rule = rules.get(defaultTask);
            reasons.add("no rule for " + type + ": the default rule (" + defaultTask + ") applies");
        } else {
            reasons.add("rule " + type);
        }
        List<Step> steps = new ArrayList<>();
        Integer limit = rule.maxInputTokens();
        if (limit != null && profile.inputTokens() > limit) {
            String target = rule.fallback() != null ? rule.fallback() : router.largerContextModel(profile.inputTokens(), rule.model());
            reasons.add("input of " + profile.inputTokens() + " tokens exceeds max_input_tokens " + limit + ": straight to " + target);
            steps.add(new Step("fallback", List.of(target), null, null, false));
        } else {
            boolean hasFallback = rule.fallback() != null;
            steps.add(new Step(null, List.of(rule.model()), hasFallback ? rule.threshold() : null, rule.maxLatency(), rule.thinking()));
            if (hasFallback) {
                steps.add(new Step("fallback", List.of(rule.fallback()), null, null, false));
                reasons.add(rule.threshold() != null
                        ? "answers under confidence " + rule.threshold() + " (scorer " + scorer.kind() + "), errors and timeouts go to " + rule.fallback()
                        : "errors and timeouts go to " + rule.fallback());
            }
            if (rule.maxLatency() != null) {
                reasons.add("latency budget " + rule.maxLatency().toMillis() + " ms");
            }
            if (rule.thinking()) {
                reasons.add("reasoning mode on");
            }
        }
        return new Decision(name, POLICY, profile, null, false, router.applyFloor(this, steps, reasons), scorer, reasons);
    }
}
