package dev.triage.simulate;

import dev.triage.learn.Example;
import dev.triage.learn.PromptText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A routing-benchmark dataset as training examples for learned routing. An outcome without recorded
 * text (MMLU's one-letter answers) becomes an empty answer, which is what the replayed model says in
 * the simulator, so training and replay see the same answers. Recorded answers were complete, so
 * their finish reason is {@code stop}, as the replay provider reports it.
 */
public final class DatasetExamples {

    private DatasetExamples() {
    }

    public static List<Example> of(Dataset dataset) {
        return dataset.items().stream().map(DatasetExamples::of).toList();
    }

    public static Example of(Item item) {
        Map<String, Example.Outcome> outcomes = new LinkedHashMap<>();
        item.outcomes().forEach((model, o) -> outcomes.put(model,
                new Example.Outcome(o.score(), o.response() == null ? "" : o.response(), "stop")));
        return new Example(item.id(), PromptText.of(item.messages()), outcomes);
    }
}
