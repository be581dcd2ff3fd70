package dev.triage.simulate;

import dev.triage.analysis.TaskType;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.scoring.ScorerSpec;
import dev.triage.routing.TaskRouteSpec;
import dev.triage.routing.TieredRouteSpec;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy kinds on their own, bound to a dataset's weak and strong models, so every policy can be
 * measured on any dataset: the default config's {@code task}, {@code tiered} and {@code cascade}
 * routes with the dataset's two models in place of the vendor line-up.
 */
public record BoundPolicies(String weak, String strong) {

    /** Weak model first; its answer is kept when the heuristic confidence reaches {@code threshold}. */
    public CascadeRouteSpec cascade(double threshold) {
        return new CascadeRouteSpec("cascade", List.of(new CascadeRouteSpec.Stage(weak, threshold),
                new CascadeRouteSpec.Stage(strong, null)), ScorerSpec.HEURISTIC, QualityFloor.NONE);
    }

    /**
     * The seed's task map with two models: reasoning and code generation go to the strong model; every
     * other task type to the weak one, with its answer accepted at {@code threshold} and the strong model as fallback.
     */
    public TaskRouteSpec task(double threshold) {
        Map<TaskType, TaskRouteSpec.Rule> rules = new HashMap<>();
        for (TaskType t : TaskType.BUILT_IN) {
            boolean hard = t.equals(TaskType.REASONING) || t.equals(TaskType.CODE_GENERATION);
            rules.put(t, hard ? new TaskRouteSpec.Rule(strong, null, null, null, null, false)
                    : new TaskRouteSpec.Rule(weak, threshold, strong, null, null, false));
        }
        return new TaskRouteSpec("task", rules, TaskType.CHAT, ScorerSpec.HEURISTIC, QualityFloor.NONE);
    }

    /** The seed's tiers with two models and no budget limits: high and medium complexity to the strong model, the rest to the weak one. */
    public TieredRouteSpec tiered() {
        return new TieredRouteSpec("tiered", List.of(
                new TieredRouteSpec.Tier("high", List.of(strong), null),
                new TieredRouteSpec.Tier("medium", List.of(strong), null),
                new TieredRouteSpec.Tier("low", List.of(weak), null)), ZoneOffset.UTC, QualityFloor.NONE);
    }
}
