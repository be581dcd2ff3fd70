package dev.triage.routing;

import dev.triage.learn.LearnedModel;
import java.util.List;
import java.util.Objects;

/**
 * A route whose model is chosen by a trained model ({@code policy: learned}): each candidate's quality
 * on the prompt is predicted, and the request goes to the cheapest candidate that no dearer candidate
 * is predicted to beat by more than {@code tolerance} — for tolerance ≥ 0, the cheapest within
 * {@code tolerance} of the best. Tolerance 0 sends every request to the model predicted best, 1 always
 * to the cheapest; a negative tolerance asks a cheaper model to be predicted better by at least that
 * much (the low end of the simulator's sweep). The other candidates, best predicted first, are the
 * fallbacks on errors.
 *
 * @param modelFile  where the model was read from, for explanations
 * @param candidates the models it may choose, all known to {@code model}
 */
public record LearnedRouteSpec(String name, LearnedModel model, String modelFile, List<String> candidates, double tolerance,
                               QualityFloor floor) implements RouteSpec {

    public LearnedRouteSpec {
        Objects.requireNonNull(model, "model");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a learned route needs at least one candidate model");
        }
        for (String c : candidates) {
            if (!model.models().contains(c)) {
                throw new IllegalArgumentException("candidate '" + c + "' is not in the model file (it knows "
                        + String.join(", ", model.models()) + ")");
            }
        }
        if (!(tolerance >= -1 && tolerance <= 1)) {
            throw new IllegalArgumentException("tolerance must be between -1 and 1, got " + tolerance);
        }
    }
}
