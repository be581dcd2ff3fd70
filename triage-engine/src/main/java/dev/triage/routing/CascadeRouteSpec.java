package dev.triage.routing;

import dev.triage.analysis.TaskProfile;
import dev.triage.chat.ChatRequest;
import dev.triage.scoring.ScorerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Strategy 3: a cascade. Each stage's answer is returned when the scorer's confidence reaches the
 * stage's {@code acceptConfidence}; otherwise the next stage runs. The last stage always answers.
 */
public record CascadeRouteSpec(String name, List<Stage> stages, ScorerSpec scorer, QualityFloor floor) implements RouteSpec {

    public static final String POLICY = "cascade";

    public CascadeRouteSpec {
        stages = List.copyOf(stages);
    }

    /** @param acceptConfidence 0..1; null on the last stage (it always answers) */
    public record Stage(String model, Double acceptConfidence) {
    }

    @Override
    public String policy() {
        return POLICY;
    }

    @Override
    public List<String> models() {
        return stages.stream().map(Stage::model).distinct().toList();
    }

    @Override
    public CascadeRouteSpec named(String name) {
        return new CascadeRouteSpec(name, stages, scorer, floor);
    }

    @Override
    public CascadeRouteSpec renamed(UnaryOperator<String> rename) {
        return new CascadeRouteSpec(name, stages.stream().map(s -> new Stage(rename.apply(s.model()), s.acceptConfidence())).toList(),
                scorer, floor.renamed(rename));
    }

    @Override
    public Decision decide(Router router, ChatRequest request, TaskProfile profile, Set<String> spentTiers) {
        List<String> reasons = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        int n = stages.size();
        for (int i = 0; i < n; i++) {
            Stage stage = stages.get(i);
            steps.add(new Step("stage " + (i + 1) + "/" + n, List.of(stage.model()), i < n - 1 ? stage.acceptConfidence() : null, null, false));
        }
        reasons.add(n + " stages, scorer " + scorer.kind());
        return new Decision(name, POLICY, profile, null, false, router.applyFloor(this, steps, reasons), scorer, reasons);
    }
}
