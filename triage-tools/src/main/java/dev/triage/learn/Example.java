package dev.triage.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded prompt to learn from, with how each model that answered it did.
 *
 * @param id       where it came from (a dataset item id, a ledger request id), for error messages
 * @param prompt   the prompt as {@link PromptText} renders it
 * @param outcomes model id to outcome; a ledger request has one, a benchmark item several
 */
public record Example(String id, String prompt, Map<String, Outcome> outcomes) {

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    }

    /**
     * How one model did on the prompt.
     *
     * @param score        quality from 0 (useless) to 1 (right), from a benchmark or user feedback
     * @param answer       the model's answer text, or null when it was not recorded
     * @param finishReason the OpenAI finish reason of the answer, or null
     */
    public record Outcome(double score, String answer, String finishReason) {

        public Outcome {
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("score must be between 0 and 1, got " + score);
            }
        }
    }
}
