package dev.triage.simulate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One prompt of a dataset and every recorded outcome for it.
 *
 * @param category the dataset's grouping (an MMLU subject, "math"), or null when the line has none
 * @param messages the OpenAI chat messages, as read; shared, so callers copy before changing them
 * @param outcomes model id to outcome, in the order the line lists them
 */
public record Item(String id, String category, ArrayNode messages, Map<String, Outcome> outcomes) {

    public Item {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(messages, "messages");
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    }

    /** The outcome of {@code model} on this item. */
    public Outcome outcome(String model) {
        Outcome o = outcomes.get(model);
        if (o == null) {
            throw new IllegalArgumentException("item " + id + " has no outcome for " + model);
        }
        return o;
    }
}
