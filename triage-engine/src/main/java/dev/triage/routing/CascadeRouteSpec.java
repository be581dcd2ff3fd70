package dev.triage.routing;

import java.util.List;

/**
 * Strategy 3: a cascade. Each stage's answer is returned when the scorer's confidence reaches the
 * stage's {@code acceptConfidence}; otherwise the next stage runs. The last stage always answers.
 */
public record CascadeRouteSpec(String name, List<Stage> stages, ScorerSpec scorer, QualityFloor floor) implements RouteSpec {

    public CascadeRouteSpec {
        stages = List.copyOf(stages);
    }

    /** @param acceptConfidence 0..1; null on the last stage (it always answers) */
    public record Stage(String model, Double acceptConfidence) {
    }
}
