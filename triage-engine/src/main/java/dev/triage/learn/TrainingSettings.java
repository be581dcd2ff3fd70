package dev.triage.learn;

/**
 * A learned model's hyper-parameters, fixed by cross-validation on the shipped datasets (README,
 * "Learned routing"). Training (in triage-tools) fits with them; the model file records them, and a
 * model finds its prompts' neighbours with the same {@code neighbours}.
 *
 * @param neighbours how many recorded prompts vote on a new one (k)
 * @param l2         the ridge and logistic penalty on standardised weights
 * @param minAnswers the fewest recorded answers of a model (with both good and bad ones) before an
 *                   acceptance head is fitted for it
 */
public record TrainingSettings(int neighbours, double l2, int minAnswers) {

    public static final TrainingSettings DEFAULT = new TrainingSettings(80, 1.0, 30);

    public TrainingSettings {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be >= 1, got " + neighbours);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
        }
    }
}
