package dev.triage.simulate;

import dev.triage.learn.Example;
import dev.triage.learn.PromptText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A routing-benchmark dataset as training examples for learned routing; {@code triage train} and
 * {@code triage simulate --cv} both read datasets through here. Scores move from the manifest's scale
 * to 0..1. An outcome without recorded text (MMLU's one-letter answers) becomes an empty answer, which
 * is what the replayed model says in the simulator, so training and replay see the same answers (an
 * answer feature that never varies in training gets no weight, so live answers do not disturb it).
 * Recorded answers were complete, so their finish reason is {@code stop}, as the replay provider
 * reports it.
 */
public final class DatasetExamples {

    private DatasetExamples() {
    }

    public static List<Example> of(Dataset dataset) {
        return dataset.items().stream().map(item -> of(item, dataset.manifest(), null)).toList();
    }

    /**
     * One item as an example, keeping the outcomes of {@code only} (null for all); its outcomes map is
     * empty when none of them answered it.
     */
    public static Example of(Item item, Manifest manifest, java.util.Collection<String> only) {
        double span = manifest.scoreMax() - manifest.scoreMin();
        Map<String, Example.Outcome> outcomes = new LinkedHashMap<>();
        item.outcomes().forEach((model, o) -> {
            if (only == null || only.contains(model)) {
                outcomes.put(model, new Example.Outcome(Math.clamp((o.score() - manifest.scoreMin()) / span, 0, 1),
                        o.response() == null ? "" : o.response(), "stop"));
            }
        });
        return new Example(item.id(), PromptText.of(item.messages()), outcomes);
    }
}
