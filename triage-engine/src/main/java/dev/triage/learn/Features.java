package dev.triage.learn;

import java.util.ArrayList;
import java.util.List;

/** How the feature vectors of the two heads are laid out; training and prediction both build them here. */
final class Features {

    private Features() {
    }

    /**
     * The quality head's features: the prompt's, then the neighbours' mean score for every model (in
     * training order), so each model's head can weigh how the others did on similar prompts.
     */
    static double[] quality(double[] prompt, double[] neighbourScores) {
        double[] x = java.util.Arrays.copyOf(prompt, prompt.length + neighbourScores.length);
        System.arraycopy(neighbourScores, 0, x, prompt.length, neighbourScores.length);
        return x;
    }

    static List<String> qualityNames(List<String> models) {
        List<String> names = new ArrayList<>(PromptFeatures.NAMES);
        models.forEach(m -> names.add("neighbour_score:" + m));
        return names;
    }

    /** The acceptance head's features: the answer's, the prompt's, then the neighbours' mean score for every model. */
    static double[] acceptance(double[] prompt, double[] answer, double[] neighbourScores) {
        double[] x = new double[answer.length + prompt.length + neighbourScores.length];
        System.arraycopy(answer, 0, x, 0, answer.length);
        System.arraycopy(prompt, 0, x, answer.length, prompt.length);
        System.arraycopy(neighbourScores, 0, x, answer.length + prompt.length, neighbourScores.length);
        return x;
    }

    static List<String> acceptanceNames(List<String> models) {
        List<String> names = new ArrayList<>(AnswerFeatures.NAMES);
        names.addAll(PromptFeatures.NAMES);
        models.forEach(m -> names.add("neighbour_score:" + m));
        return names;
    }
}
