package dev.triage.simulate;

import dev.triage.analysis.TaskType;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.scoring.ScorerSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TieredRouteSpec;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy kinds on their own, bound to a dataset's models, so every policy can be measured on any
 * dataset: the default config's {@code task}, {@code tiered} and {@code cascade} routes with the
 * dataset's models in place of the vendor line-up.
 *
 * <p>On a file of two models, the weak one takes the cheap tier and the strong one the rest. On a file of
 * more, the default config's three tiers: the dataset's weak model, a {@code middle} model from the frontier
 * ({@link SingleModels#middle}) and the strong one.
 *
 * @param middle the middle tier's model, or null for two tiers
 */
public record BoundPolicies(String weak, String middle, String strong) {

    public BoundPolicies(String weak, String strong) {
        this(weak, null, strong);
    }

    /** How the models are bound, for descriptions: "weak → middle → strong". */
    public String lineUp() {
        return middle == null ? weak + " -> " + strong : weak + " -> " + middle + " -> " + strong;
    }

    /**
     * The cheap model first, then the middle one if any, then the strong one; each answer but the last is
     * kept when the heuristic confidence reaches {@code threshold}.
     */
    public CascadeRouteSpec cascade(double threshold) {
        List<CascadeRouteSpec.Stage> stages = new ArrayList<>();
        stages.add(new CascadeRouteSpec.Stage(weak, threshold));
        if (middle != null) {
            stages.add(new CascadeRouteSpec.Stage(middle, threshold));
        }
        stages.add(new CascadeRouteSpec.Stage(strong, null));
        return new CascadeRouteSpec("cascade", stages, ScorerSpec.HEURISTIC, QualityFloor.NONE);
    }

    /**
     * The seed's task map. With two models: reasoning and code generation go to the strong model; every
     * other task type to the weak one, with its answer accepted at {@code threshold} and the strong model as
     * fallback. With three, after the default config's tiers: classification and fast answers to the weak
     * model (the former kept at {@code threshold}, else the middle one), code generation and reasoning to the
     * strong one (the middle one on errors), every other task type to the middle model (the strong one on
     * errors).
     */
    public TaskRouteSpec task(double threshold) {
        Map<TaskType, TaskRouteSpec.Rule> rules = new HashMap<>();
        for (TaskType t : TaskType.BUILT_IN) {
            rules.put(t, middle == null ? twoTierRule(t, threshold) : threeTierRule(t, threshold));
        }
        return new TaskRouteSpec("task", rules, TaskType.CHAT, ScorerSpec.HEURISTIC, QualityFloor.NONE);
    }

    private TaskRouteSpec.Rule twoTierRule(TaskType t, double threshold) {
        boolean hard = t.equals(TaskType.REASONING) || t.equals(TaskType.CODE_GENERATION);
        return hard ? new TaskRouteSpec.Rule(strong, null, null, null, null, false)
                : new TaskRouteSpec.Rule(weak, threshold, strong, null, null, false);
    }

    private TaskRouteSpec.Rule threeTierRule(TaskType t, double threshold) {
        if (t.equals(TaskType.REASONING) || t.equals(TaskType.CODE_GENERATION)) {
            return new TaskRouteSpec.Rule(strong, null, middle, null, null, false);
        }
        if (t.equals(TaskType.CLASSIFICATION)) {
            return new TaskRouteSpec.Rule(weak, threshold, middle, null, null, false);
        }
        if (t.equals(TaskType.FAST_RESPONSE)) {
            return new TaskRouteSpec.Rule(weak, null, middle, null, null, false);
        }
        return new TaskRouteSpec.Rule(middle, null, strong, null, null, false);
    }

    /**
     * The seed's tiers with no budget limits. With two models high and medium complexity go to the strong
     * one, the rest to the weak one; with three, each tier to its own model.
     */
    public TieredRouteSpec tiered() {
        return new TieredRouteSpec("tiered", List.of(
                new TieredRouteSpec.Tier("high", List.of(strong), null),
                new TieredRouteSpec.Tier("medium", List.of(middle == null ? strong : middle), null),
                new TieredRouteSpec.Tier("low", List.of(weak), null)), ZoneOffset.UTC, QualityFloor.NONE);
    }
}
