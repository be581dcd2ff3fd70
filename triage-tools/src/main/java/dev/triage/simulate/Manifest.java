package dev.triage.simulate;

import dev.triage.catalog.Price;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a dataset's {@code NAME.json} says about its {@code NAME.jsonl}: the score scale every outcome
 * lies on, the prices of the models it names (USD per 1M tokens, exactly as written), which of them
 * is the strong and which the weak model of the pair, and how long an answer is when the file records
 * neither its length nor its text.
 *
 * @param prices              model id to price; a model without one needs a {@code cost_usd} on every outcome
 * @param strongModel         the declared strong model, or null (the simulator then picks the best on average)
 * @param weakModel           the declared weak model, or null (the simulator then picks the cheapest)
 * @param defaultOutputTokens output tokens of an answer with neither {@code output_tokens} nor text, or null (one token)
 */
public record Manifest(String name, double scoreMin, double scoreMax, Map<String, Price> prices,
                       String strongModel, String weakModel, Integer defaultOutputTokens) {

    public Manifest {
        Objects.requireNonNull(name, "name");
        if (!(scoreMin < scoreMax)) {
            throw new IllegalArgumentException("score scale must have min < max: [" + scoreMin + ", " + scoreMax + "]");
        }
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        if (strongModel != null && strongModel.equals(weakModel)) {
            throw new IllegalArgumentException("the strong and the weak model are the same: " + strongModel);
        }
        if (defaultOutputTokens != null && defaultOutputTokens < 0) {
            throw new IllegalArgumentException("defaultOutputTokens cannot be negative: " + defaultOutputTokens);
        }
    }

    /** A two-model manifest with prices for both and no default output length. */
    public Manifest(String name, double scoreMin, double scoreMax, Map<String, Price> prices, String strongModel, String weakModel) {
        this(name, scoreMin, scoreMax, prices, strongModel, weakModel, null);
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
