package dev.triage.simulate;

import dev.triage.embed.Embedder;
import dev.triage.learn.CrossValidation;
import dev.triage.learn.Example;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.learn.Trainer;
import dev.triage.learn.TrainingSettings;
import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.LearnedRouteSpec;
import dev.triage.routing.QualityFloor;
import dev.triage.routing.RouteSpec;
import dev.triage.scoring.ScorerSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.DoubleFunction;

/**
 * The learned strategies of {@code triage simulate}: {@code learned} (the prompt-only router) and
 * {@code learned-cascade} (the weak model first, its answer judged by the learned scorer), each run
 * through the real router and executor like every other strategy.
 *
 * <p>With {@code --cv K}, K models are trained, each without one fold, and every item is routed only
 * by the model that did not see it. With {@code --router-model FILE}, one trained model routes every
 * item (transfer to another dataset). The knob is swept at the quantiles of the items' own scores:
 * the predicted quality gap for {@code learned}, the weights at which an item's choice changes for
 * {@code learned-priced} (the same router with a price weight instead of a tolerance), the weak answer's
 * acceptance probability for the cascade.
 */
public final class LearnedStrategies {

    /** The names these strategies answer to. */
    public static final List<String> NAMES = List.of("learned", "learned-priced", "learned-cascade");

    /**
     * How to get the models.
     *
     * @param folds       K for cross-validation (≥ 2), or 0 with {@code routerModel}
     * @param seed        the shuffle that deals items into folds
     * @param routerModel a trained model file to evaluate instead of cross-validating, or null
     * @param groupBy     with {@code folds}: an item field ({@code category}, …) whose groups are kept whole in one
     *                    fold, so every item is routed by a model that never saw its group; null for a plain shuffle
     * @param labelled    with {@code groupBy}: how many items of each held-out group its fold's model also trains on
     *                    (a team that labelled that many requests of a new topic), never the item it routes; 0 for none
     * @param settings    with {@code folds}: the hyper-parameters the fold models are trained with (a model file has its own)
     */
    public record Options(Embedder embedder, int folds, long seed, Path routerModel, String groupBy, int labelled,
                          TrainingSettings settings) {

        public Options {
            Objects.requireNonNull(settings, "settings");
            if (labelled < 0 || labelled > 0 && groupBy == null) {
                throw new IllegalArgumentException("labelled items of each group need grouped folds and a count >= 0, got " + labelled);
            }
        }

        public Options(Embedder embedder, int folds, long seed, Path routerModel, String groupBy) {
            this(embedder, folds, seed, routerModel, groupBy, 0, TrainingSettings.DEFAULT);
        }

        public Options(Embedder embedder, int folds, long seed, Path routerModel) {
            this(embedder, folds, seed, routerModel, null);
        }
    }

    private final Simulator simulator;
    private final Options options;
    private final BiConsumer<String, Double> progress;
    private final List<Item> items;
    private List<LearnedModel> models;
    private int[] fold;
    private double[] gaps;
    private double[] acceptance;
    private List<Map<String, Double>> predicted;

    public LearnedStrategies(Simulator simulator, Options options, BiConsumer<String, Double> progress) {
        this.simulator = simulator;
        this.options = options;
        this.progress = progress;
        this.items = simulator.dataset().items();
    }

    /**
     * The prompt-only learned router, swept over its tolerance: between the weak and the strong model, or
     * on a file of more models among all of them (each item to the cheapest model no dearer one is predicted
     * to beat by more than t).
     */
    public List<StrategyResult> router(int sweepPoints) {
        prepare();
        String w = simulator.weak();
        String s = simulator.strong();
        List<String> all = List.copyOf(simulator.dataset().modelsOnEveryItem());
        if (all.size() > 2) {
            return sweep("learned", "t", decisiveTolerances(all), 2 * sweepPoints, t -> fold -> new LearnedRouteSpec("learned", models.get(fold),
                            source(), all, Math.max(-1, Math.min(1, t)), QualityFloor.NONE),
                    "learned router among all " + all.size() + " models: the cheapest no dearer one is predicted to beat by more than t");
        }
        return sweep("learned", "t", gaps, sweepPoints, t -> fold -> new LearnedRouteSpec("learned", models.get(fold),
                        source(), List.of(w, s), Math.max(-1, Math.min(1, t)), QualityFloor.NONE),
                "learned router: the weak model unless the strong one is predicted better by more than t");
    }

    /**
     * The tolerances at which some item's choice among {@code all} changes: per item and model, how far the
     * best dearer model is predicted above it (models ranked by price as the route ranks them, the better
     * predicted first among equals). Their quantiles are the sweep, as the two-model gaps are.
     */
    private double[] decisiveTolerances(List<String> all) {
        List<Double> out = new ArrayList<>();
        for (Map<String, Double> q : predicted) {
            List<String> byPrice = all.stream().sorted(Comparator.comparing(simulator::pricePerToken)
                    .thenComparing(m -> -q.get(m))).toList();
            double dearerBest = Double.NEGATIVE_INFINITY;
            for (int i = byPrice.size() - 1; i > 0; i--) {
                dearerBest = Math.max(dearerBest, q.get(byPrice.get(i)));
                out.add(dearerBest - q.get(byPrice.get(i - 1)));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The learned router with the price-weighted rule among every model on every item (the two of a two-model
     * file): each item to the model of highest predicted quality less w × its price as a share of the
     * dearest model's, swept over w.
     */
    public List<StrategyResult> priced(int sweepPoints) {
        prepare();
        List<String> all = List.copyOf(simulator.dataset().modelsOnEveryItem());
        return sweep("learned-priced", "w", decisiveWeights(all), 2 * sweepPoints, w -> fold -> new LearnedRouteSpec("learned-priced",
                        models.get(fold), source(), all, new LearnedRouteSpec.PriceWeighted(Math.min(LearnedRouteSpec.MAX_PRICE_WEIGHT, w)),
                        QualityFloor.NONE),
                "learned router among " + all.size() + " models: the highest predicted quality less w x its price share");
    }

    /**
     * The price weights at which some item's choice among {@code all} changes: for every item and pair of
     * models, the predicted quality the dearer one gains per share of the dearest price it costs more (only
     * where it gains, at most the largest weight), 0 (every item to the model predicted best) and the largest
     * weight (beyond every switch, where a weight equal to an item's switch point might still tie by a rounding
     * error). Their quantiles, the sweep, stay between 0 and the largest weight but for interpolation's rounding
     * at the top.
     */
    private double[] decisiveWeights(List<String> all) {
        double[] share = LearnedRouteSpec.priceShares(all.stream().map(simulator::pricePerToken).toList());
        List<Double> out = new ArrayList<>();
        out.add(0.0);
        out.add((double) LearnedRouteSpec.MAX_PRICE_WEIGHT);
        for (Map<String, Double> q : predicted) {
            for (int i = 0; i < all.size(); i++) {
                for (int j = 0; j < all.size(); j++) {
                    double gain = q.get(all.get(j)) - q.get(all.get(i));
                    if (share[j] > share[i] && gain > 0) {
                        out.add(Math.min(LearnedRouteSpec.MAX_PRICE_WEIGHT, gain / (share[j] - share[i])));
                    }
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The weak model first, kept when the learned scorer's acceptance probability reaches t. */
    public List<StrategyResult> cascade(int sweepPoints) {
        prepare();
        if (!models.getFirst().judges(simulator.weak())) {
            throw new IllegalArgumentException("the model cannot judge " + simulator.weak() + "'s answers (it was trained on none),"
                    + " so learned-cascade cannot run; train it on a dataset with that model's answers");
        }
        String w = simulator.weak();
        String s = simulator.strong();
        return sweep("learned-cascade", "t", acceptance, sweepPoints, t -> fold -> new CascadeRouteSpec("learned-cascade",
                        List.of(new CascadeRouteSpec.Stage(w, t), new CascadeRouteSpec.Stage(s, null)),
                        new ScorerSpec.Learned(models.get(fold)), QualityFloor.NONE),
                "weak model; keep its answer if the learned acceptance probability >= t, else strong");
    }

    /** The model that routes item {@code i} (in dataset order); trains or reads them first. For tests. */
    LearnedModel modelFor(int i) {
        prepare();
        return models.get(fold[i]);
    }

    private String source() {
        return options.routerModel() != null ? options.routerModel().toString()
                : options.folds() + "-fold cross-validation" + (options.groupBy() == null ? "" : " by " + options.groupBy())
                + (options.labelled() > 0 ? ", " + options.labelled() + " labelled items of each held-out group" : "")
                + ", seed " + options.seed();
    }

    private interface RouteAt {
        RouteSpec forFold(int fold);
    }

    /** The strategy at the distinct quantiles of {@code scores}, each point labelled {@code knob=value}. */
    private List<StrategyResult> sweep(String name, String knob, double[] scores, int sweepPoints, DoubleFunction<RouteAt> route,
                                       String description) {
        double[] thresholds = Arrays.stream(ThresholdSweep.quantiles(scores, sweepPoints)).distinct().toArray();
        List<StrategyResult> points = new ArrayList<>();
        int folds = models.size();
        for (double t : thresholds) {
            List<ItemResult> results = new ArrayList<>(items.size());
            RouteAt at = route.apply(t);
            for (int f = 0; f < folds; f++) {
                List<Item> mine = Arrays.stream(CrossValidation.members(fold, f)).mapToObj(items::get).toList();
                results.addAll(simulator.runRoute(at.forFold(f), mine));
            }
            points.add(StrategyResult.of(name, String.format(Locale.ROOT, "%s=%.3f", knob, t), description, inDatasetOrder(results),
                    simulator.strong()));
        }
        return points;
    }

    private List<ItemResult> inDatasetOrder(List<ItemResult> results) {
        Map<String, ItemResult> byId = new HashMap<>();
        results.forEach(r -> byId.put(r.id(), r));
        return items.stream().map(i -> byId.get(i.id())).toList();
    }

    /** Every item's value of {@code field}; an item without one is refused, naming it. */
    private String[] groups(String field) {
        String[] out = new String[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).field(field);
            if (out[i] == null) {
                throw new IllegalArgumentException("--cv-group " + field + ": item " + items.get(i).id() + " has no " + field);
            }
        }
        return out;
    }

    /** Trains (or reads) the models once, and the per-item scores the sweeps are drawn from. */
    private void prepare() {
        if (models != null) {
            return;
        }
        List<Example> examples = DatasetExamples.of(simulator.dataset());
        String w = simulator.weak();
        String s = simulator.strong();
        gaps = new double[examples.size()];
        acceptance = new double[examples.size()];
        predicted = new ArrayList<>(examples.size());
        if (options.routerModel() != null) {
            LearnedModel model = ModelFile.read(options.routerModel(), options.embedder());
            for (String m : List.of(w, s)) {
                if (!model.models().contains(m)) {
                    throw new IllegalArgumentException("model file " + options.routerModel() + " knows " + String.join(", ", model.models())
                            + ", not this dataset's " + m);
                }
            }
            models = List.of(model);
            fold = new int[examples.size()];
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                var q = model.predictQuality(e.prompt());
                predicted.add(q);
                gaps[i] = q.get(s) - q.get(w);
                Example.Outcome weak = e.outcomes().get(w);
                acceptance[i] = model.acceptProbability(w, e.prompt(), weak.answer(), weak.finishReason()).orElse(Double.NaN);
                if (i % 200 == 0) {
                    progress.accept("scoring with " + options.routerModel().getFileName(), (double) i / examples.size());
                }
            }
            return;
        }
        float[][] embeddings = Trainer.embedAll(options.embedder(), examples.stream().map(Example::prompt).toList(),
                done -> {
                    if (done % 100 == 0) {
                        progress.accept("embedding prompts", (double) done / examples.size());
                    }
                });
        Trainer trainer = new Trainer(options.embedder(), options.settings(), Clock.systemUTC());
        fold = options.groupBy() == null ? CrossValidation.assign(examples.size(), options.folds(), options.seed())
                : CrossValidation.assignByGroup(groups(options.groupBy()), options.folds(), options.seed());
        Trainer.Source source = new Trainer.Source("dataset " + simulator.dataset().manifest().name(), null);
        List<CrossValidation.Prediction> predictions;
        if (options.labelled() == 0) {
            CrossValidation.Result cv = CrossValidation.run(trainer, examples, embeddings, fold, options.folds(), source,
                    f -> progress.accept("training fold " + f + " of " + options.folds(), (double) f / options.folds()));
            models = cv.models();
            predictions = cv.predictions();
        } else {
            // each fold's model twice, each time also trained on one draw of labelled items of its own groups; the
            // model with the first draw routes everything but that draw, the one with the second routes the first draw
            int[] draw = CrossValidation.labelledOfEachGroup(groups(options.groupBy()), options.labelled(), options.seed());
            List<CrossValidation.Result> runs = new ArrayList<>();
            for (int d = 1; d <= 2; d++) {
                int[] withDraw = fold.clone();
                for (int i = 0; i < fold.length; i++) {
                    if (draw[i] == d) {
                        withDraw[i] = -1;
                    }
                }
                String what = " with labelled items (" + d + " of 2)";
                Trainer.Source withLabels = new Trainer.Source(source.description() + ", labelled draw " + d, null);
                runs.add(CrossValidation.run(trainer, examples, embeddings, withDraw, options.folds(), withLabels,
                        f -> progress.accept("training fold " + f + " of " + options.folds() + what, (double) f / options.folds())));
            }
            models = new ArrayList<>(runs.get(0).models());
            models.addAll(runs.get(1).models());
            predictions = new ArrayList<>(runs.get(0).predictions());
            for (int i = 0; i < fold.length; i++) {
                if (draw[i] == 1) {
                    predictions.set(i, runs.get(1).predictions().get(i));
                    fold[i] += options.folds();
                }
            }
        }
        for (int i = 0; i < examples.size(); i++) {
            CrossValidation.Prediction p = predictions.get(i);
            predicted.add(p.quality());
            gaps[i] = p.quality().get(s) - p.quality().get(w);
            acceptance[i] = p.acceptance().getOrDefault(w, Double.NaN);
        }
    }
}
