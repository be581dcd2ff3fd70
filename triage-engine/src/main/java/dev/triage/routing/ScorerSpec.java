package dev.triage.routing;

/**
 * Which confidence scorer a route uses, and its settings.
 *
 * @param kind       {@code heuristic}, {@code logprob}, {@code verifier} or {@code consistency}
 * @param judgeModel for {@code verifier}: the model that grades answers
 * @param samples    for {@code consistency}: how many answers to compare (k ≥ 2)
 */
public record ScorerSpec(String kind, String judgeModel, int samples) {

    public static final ScorerSpec HEURISTIC = new ScorerSpec("heuristic", null, 0);
}
