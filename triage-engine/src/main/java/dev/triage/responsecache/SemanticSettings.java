package dev.triage.responsecache;

/**
 * How similar a cached question must be to a new one for its answer to be served.
 *
 * <p>A hit needs {@code cosine >= threshold + max(0, lead - (cosine - runnerUp))}, where {@code runnerUp}
 * is the second-best cosine among the candidates (none: the lead counts as complete). So an entry that is
 * clearly the nearest needs {@code threshold}; one with a close rival needs up to {@code threshold + lead},
 * and a query that sits between two entries (an ambiguous question) misses. With {@code guards}, a pair
 * whose texts differ in a number, in negation or in the direction of a conversion never matches, however
 * close the vectors (MiniLM puts "Convert 5 km to miles" and "Convert 5 miles to km" at cosine 0.98).
 *
 * @param threshold cosine needed by an entry with a clear lead, in (0, 1]
 * @param lead      lead over the runner-up at which no extra similarity is needed, in [0, 1); 0 is a static threshold
 * @param guards    whether the lexical guards apply
 */
public record SemanticSettings(double threshold, double lead, boolean guards) {

    /**
     * Calibrated on the first 500 pairs of GPTCache's benchmark (cache 250 origins, unrelated queries from the next
     * 250): the grid over lead in {0, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15} and threshold in steps of 0.005 whose
     * precision is at least 0.98 with the highest recall. {@code SemanticCalibrationTest} repeats the search.
     */
    public static final SemanticSettings DEFAULT = new SemanticSettings(0.905, 0.15, true);

    /**
     * The baseline: a static cosine threshold chosen the same way on the same pairs (the threshold in steps of 0.005
     * whose precision is at least 0.98 with the highest recall).
     */
    public static final SemanticSettings STATIC_BASELINE = staticThreshold(0.94);

    public SemanticSettings {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("semantic threshold must be in (0, 1], got " + threshold);
        }
        if (!(lead >= 0 && lead < 1)) {
            throw new IllegalArgumentException("semantic lead must be in [0, 1), got " + lead);
        }
    }

    /** A single cosine threshold and nothing else: the baseline the default is measured against. */
    public static SemanticSettings staticThreshold(double threshold) {
        return new SemanticSettings(threshold, 0, false);
    }

    /** These settings with another threshold. */
    public SemanticSettings withThreshold(double threshold) {
        return new SemanticSettings(threshold, lead, guards);
    }
}
