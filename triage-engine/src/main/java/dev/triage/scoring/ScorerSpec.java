package dev.triage.scoring;

import dev.triage.learn.LearnedModel;
import java.util.List;
import java.util.Objects;

/**
 * Which confidence scorer a route uses, with its settings: a closed family, each member valid by
 * construction and able to build its scorer.
 */
public sealed interface ScorerSpec {

    /** The kinds as written in config ({@code scorer: KIND}). */
    List<String> KINDS = List.of("heuristic", "logprob", "verifier", "consistency", "learned");

    ScorerSpec HEURISTIC = new Heuristic();

    /** The kind as written in config. */
    String kind();

    /**
     * Whether judging an answer calls a model (a judge, or more samples): such a scorer cannot be
     * replayed from recorded outcomes.
     */
    boolean callsModels();

    /** A scorer for one request (scorers keep no state between requests, but may within one). */
    ConfidenceScorer create();

    /** Judges the answer's text alone: refusals, hedging, truncation, format. */
    record Heuristic() implements ScorerSpec {
        @Override
        public String kind() {
            return "heuristic";
        }

        @Override
        public boolean callsModels() {
            return false;
        }

        @Override
        public ConfidenceScorer create() {
            return new HeuristicScorer();
        }
    }

    /** The answer's token log-probabilities, and the heuristic where a provider returns none. */
    record Logprob() implements ScorerSpec {
        @Override
        public String kind() {
            return "logprob";
        }

        @Override
        public boolean callsModels() {
            return false;
        }

        @Override
        public ConfidenceScorer create() {
            return new LogprobScorer(new HeuristicScorer());
        }
    }

    /** A judge model grades the answer. */
    record Verifier(String judgeModel) implements ScorerSpec {
        public Verifier {
            if (judgeModel == null || judgeModel.isBlank()) {
                throw new IllegalArgumentException("scorer 'verifier' needs a judge model: the model that grades answers");
            }
        }

        @Override
        public String kind() {
            return "verifier";
        }

        @Override
        public boolean callsModels() {
            return true;
        }

        @Override
        public ConfidenceScorer create() {
            return new VerifierScorer(judgeModel);
        }
    }

    /** {@code samples} answers of the same model are compared; agreement is confidence. */
    record Consistency(int samples) implements ScorerSpec {
        /** What {@code scorer: consistency} means without a count. */
        public static final int DEFAULT_SAMPLES = 3;

        public Consistency {
            if (samples < 2) {
                throw new IllegalArgumentException("scorer 'consistency' needs samples >= 2 (the answer and at least one more"
                        + " to compare it with), got " + samples);
            }
        }

        @Override
        public String kind() {
            return "consistency";
        }

        @Override
        public boolean callsModels() {
            return true;
        }

        @Override
        public ConfidenceScorer create() {
            return new ConsistencyScorer(samples);
        }
    }

    /** A trained model's acceptance heads judge the answer. */
    record Learned(LearnedModel model) implements ScorerSpec {
        public Learned {
            Objects.requireNonNull(model, "scorer 'learned' needs a trained model (model_file)");
        }

        @Override
        public String kind() {
            return "learned";
        }

        @Override
        public boolean callsModels() {
            return false;
        }

        @Override
        public ConfidenceScorer create() {
            return new LearnedScorer(model);
        }
    }
}
