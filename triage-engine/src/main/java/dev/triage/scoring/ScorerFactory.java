package dev.triage.scoring;

import dev.triage.routing.ScorerSpec;

/** Builds the {@link ConfidenceScorer} a route's {@link ScorerSpec} names. */
public final class ScorerFactory {

    /** The kinds {@link #create} knows, as written in config. */
    public static final String KINDS = "heuristic, logprob, verifier, consistency, learned";

    private ScorerFactory() {
    }

    /**
     * The scorer for {@code spec}.
     *
     * @throws IllegalArgumentException for an unknown kind, a verifier without a judge model, or a
     *                                  consistency scorer with fewer than 2 samples
     */
    public static ConfidenceScorer create(ScorerSpec spec) {
        String kind = spec.kind();
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("scorer kind is missing; expected one of " + KINDS);
        }
        return switch (kind) {
            case "heuristic" -> new HeuristicScorer();
            case "logprob" -> new LogprobScorer(new HeuristicScorer());
            case "verifier" -> {
                if (spec.judgeModel() == null || spec.judgeModel().isBlank()) {
                    throw new IllegalArgumentException("scorer 'verifier' needs a judge model: the model that grades answers");
                }
                yield new VerifierScorer(spec.judgeModel());
            }
            case "consistency" -> {
                if (spec.samples() < 2) {
                    throw new IllegalArgumentException("scorer 'consistency' needs samples >= 2 (the answer and at least one more"
                            + " to compare it with), got " + spec.samples());
                }
                yield new ConsistencyScorer(spec.samples());
            }
            case "learned" -> {
                if (spec.learned() == null) {
                    throw new IllegalArgumentException("scorer 'learned' needs a trained model (model_file)");
                }
                yield new LearnedScorer(spec.learned());
            }
            default -> throw new IllegalArgumentException("unknown scorer kind '" + kind + "'; expected one of " + KINDS);
        };
    }
}
