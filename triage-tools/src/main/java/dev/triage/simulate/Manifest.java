package dev.triage.simulate;

import dev.triage.catalog.Price;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a dataset's {@code NAME.json} says about its {@code NAME.jsonl}: the score scale every outcome
 * lies on, the prices of the models it names (USD per 1M tokens, exactly as written), and which of
 * them is the strong and which the weak model of the pair.
 */
public record Manifest(String name, double scoreMin, double scoreMax, Map<String, Price> prices,
                       String strongModel, String weakModel) {

    public Manifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strongModel, "strongModel");
        Objects.requireNonNull(weakModel, "weakModel");
        if (!(scoreMin < scoreMax)) {
            throw new IllegalArgumentException("score scale must have min < max: [" + scoreMin + ", " + scoreMax + "]");
        }
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        if (!prices.containsKey(strongModel) || !prices.containsKey(weakModel)) {
            throw new IllegalArgumentException("the strong and weak models need prices: " + strongModel + ", " + weakModel);
        }
    }

    /** The manifest's price for {@code model}, or null when it names none. */
    public Price price(String model) {
        return prices.get(model);
    }

    /** Whether {@code score} lies on this dataset's scale (both ends included). */
    public boolean onScale(double score) {
        return score >= scoreMin && score <= scoreMax;
    }
}
