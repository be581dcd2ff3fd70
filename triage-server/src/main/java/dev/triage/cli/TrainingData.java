package dev.triage.cli;

import dev.triage.learn.Example;
import dev.triage.learn.PromptText;
import dev.triage.learn.Trainer;
import dev.triage.ledger.CapturedText;
import dev.triage.ledger.jdbc.FeedbackTexts;
import dev.triage.report.ReportPeriod;
import dev.triage.simulate.Dataset;
import dev.triage.simulate.DatasetExamples;
import dev.triage.simulate.Item;
import dev.triage.simulate.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code triage train} learns from: a dataset's items or the ledger's rated requests turned into
 * {@link Example}s, refused with a reason when there are too few to learn anything the mean score does
 * not already say.
 *
 * @param examples one per prompt
 * @param source   what was read, for the model file's provenance
 * @param skipped  examples left out because none of their models was chosen with {@code --models}
 */
record TrainingData(List<Example> examples, Trainer.Source source, int skipped) {

    /** The fewest prompts worth training on: below this, k nearest neighbours are most of the data. */
    static final int MIN_EXAMPLES = 50;
    /** The fewest outcomes each model needs: its quality head is fitted on them alone. */
    static final int MIN_PER_MODEL = 10;

    /** Training is not possible with what was read; the message says what there is and what is needed. */
    static final class TooLittle extends RuntimeException {
        TooLittle(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A dataset's items as {@link DatasetExamples} reads them (the same as {@code simulate --cv}).
     *
     * @param only the models to keep, or null for all
     */
    static TrainingData fromDataset(Dataset data, String sha256, List<String> only) {
        List<Example> examples = new ArrayList<>();
        int skipped = 0;
        for (Item item : data.items()) {
            Example e = DatasetExamples.of(item, data.manifest(), only);
            if (e.outcomes().isEmpty()) {
                skipped++;
            } else {
                examples.add(e);
            }
        }
        String file = data.file().getFileName().toString();
        Map<String, Integer> perModel = perModel(examples, only);
        for (Map.Entry<String, Integer> e : perModel.entrySet()) {
            if (e.getValue() == 0) {
                throw new TooLittle("model " + e.getKey() + " has no outcomes in " + file + " (it has: "
                        + String.join(", ", data.items().stream().flatMap(i -> i.outcomes().keySet().stream()).distinct().toList())
                        + ")");
            }
        }
        if (examples.size() < MIN_EXAMPLES) {
            throw new TooLittle(file + " has " + examples.size() + " items" + (only == null ? "" : " with outcomes of "
                    + String.join(", ", only)) + "; training needs at least " + MIN_EXAMPLES);
        }
        checkPerModel(perModel, model -> "model " + model + " has outcomes on only " + perModel.get(model) + " of the "
                + examples.size() + " items");
        return new TrainingData(examples, new Trainer.Source("dataset " + file, sha256), skipped);
    }

    /**
     * The ledger's rated requests that have a captured text: one example each, with one outcome, the
     * answering model's, scored by the mean of the request's ratings.
     *
     * @param ledger a description of the ledger (no credentials)
     * @param only   the models to keep, or null for all
     */
    static TrainingData fromLedger(FeedbackTexts rated, String ledger, ReportPeriod period, List<String> only) {
        String when = period.from() + " .. " + period.to();
        if (rated.requestsWithFeedback() == 0) {
            throw new TooLittle("no request of " + when + " has feedback: rate answers with POST /v1/feedback, then train "
                    + "(or widen the period with --since or --from/--to)");
        }
        if (rated.rated().isEmpty()) {
            throw new TooLittle(rated.requestsWithFeedback() + " requests of " + when + " have feedback, 0 have captured text: "
                    + "set storage.capture_text: true in the gateway's config; requests answered from then on keep their text");
        }
        List<Example> examples = new ArrayList<>();
        int skipped = 0;
        for (FeedbackTexts.Rated r : rated.rated()) {
            CapturedText t = r.text();
            if (only != null && !only.contains(t.model())) {
                skipped++;
                continue;
            }
            examples.add(new Example(t.requestId(), t.prompt(),
                    Map.of(t.model(), new Example.Outcome(Math.clamp(r.meanScore(), 0, 1), t.answer(), t.finishReason()))));
        }
        Map<String, Integer> perModel = perModel(examples, only);
        for (Map.Entry<String, Integer> e : perModel.entrySet()) {
            if (e.getValue() == 0) {
                throw new TooLittle("model " + e.getKey() + " answered none of the " + rated.rated().size()
                        + " rated requests with captured text of " + when);
            }
        }
        if (examples.size() < MIN_EXAMPLES) {
            throw new TooLittle(examples.size() + " requests of " + when + " have feedback and captured text"
                    + (only == null ? "" : " and were answered by " + String.join(", ", only)) + " ("
                    + rated.requestsWithFeedback() + " have feedback); training needs at least " + MIN_EXAMPLES);
        }
        checkPerModel(perModel, model -> "model " + model + " answered only " + perModel.get(model)
                + " of the rated requests with captured text");
        return new TrainingData(examples, new Trainer.Source("ledger " + ledger + ", " + when, null), skipped);
    }

    private static void checkPerModel(Map<String, Integer> perModel, Function<String, String> what) {
        List<String> enough = perModel.entrySet().stream().filter(e -> e.getValue() >= MIN_PER_MODEL).map(Map.Entry::getKey).toList();
        for (Map.Entry<String, Integer> e : perModel.entrySet()) {
            if (e.getValue() < MIN_PER_MODEL) {
                throw new TooLittle(what.apply(e.getKey()) + "; each model needs at least " + MIN_PER_MODEL
                        + (enough.isEmpty() ? "" : ": record more, or leave it out with --models " + String.join(",", enough)));
            }
        }
    }

    /** Outcomes per model, in first-seen order; with {@code only}, exactly those models (0 where absent). */
    private static Map<String, Integer> perModel(List<Example> examples, List<String> only) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (only != null) {
            only.forEach(m -> counts.put(m, 0));
        }
        for (Example e : examples) {
            e.outcomes().keySet().forEach(m -> counts.merge(m, 1, Integer::sum));
        }
        return counts;
    }
}
