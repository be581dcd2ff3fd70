package dev.triage.simulate;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A loaded routing-benchmark dataset: its file, its manifest and its items in file order. */
public record Dataset(Path file, Manifest manifest, List<Item> items) {

    public Dataset {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(manifest, "manifest");
        items = List.copyOf(items);
    }

    /** The mean score of {@code model} over all items: its quality when it answers everything. */
    public double meanScore(String model) {
        double sum = 0;
        for (Item item : items) {
            sum += item.outcome(model).score();
        }
        return sum / items.size();
    }

    /**
     * The models with an outcome on every item and a cost for it (a manifest price, or a {@code cost_usd}
     * on every outcome, which the loader checks): the only ones a strategy can be simulated with.
     */
    public Set<String> modelsOnEveryItem() {
        Set<String> models = new LinkedHashSet<>(items.getFirst().outcomes().keySet());
        for (Item item : items) {
            models.retainAll(item.outcomes().keySet());
        }
        models.removeIf(m -> manifest.price(m) == null && items.getFirst().outcome(m).cost() == null);
        return models;
    }
}
