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
 * @param fields   the line's other top-level values that are strings, numbers or booleans (e.g. {@code split}),
 *                 as text: what {@code --cv-group} may group by besides {@code category}
 */
public record Item(String id, String category, ArrayNode messages, Map<String, Outcome> outcomes, Map<String, String> fields) {

    public Item {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(messages, "messages");
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        fields = Map.copyOf(fields);
    }

    public Item(String id, String category, ArrayNode messages, Map<String, Outcome> outcomes) {
        this(id, category, messages, outcomes, Map.of());
    }

    /** The item's value of {@code field} ({@code category} or another top-level field), or null when it has none. */
    public String field(String field) {
        return field.equals("category") ? category : fields.get(field);
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
