package dev.triage.learn;

import java.util.ArrayList;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Honest estimates of how a learned model does on prompts it has not seen: the examples are split
 * into {@code k} folds by a seeded shuffle; for each fold a model is trained on the other folds and
 * predicts the fold's examples. No example is ever predicted by a model that trained on it, and no
 * held-out example is ever anyone's neighbour in its fold's model.
 *
 * <p>Every example's nearest neighbours among all the others are found once (a few more than k, most
 * similar first) and each fold keeps the first k that it trained on — the same neighbours a search of
 * that fold's training set would find, at a fifth of the cost.
 */
public final class CrossValidation {

    /** Out-of-fold predictions for one example: each model's predicted quality, and the acceptance of each recorded answer. */
    public record Prediction(int fold, Map<String, Double> quality, Map<String, Double> acceptance) {
    }

    /**
     * What a cross-validation produced: the fold models (model f held out fold f, and already knows its
     * predictions for that fold's prompts), each example's fold, and each example's predictions.
     */
    public record Result(List<LearnedModel> models, int[] fold, List<Prediction> predictions) {
    }

    private CrossValidation() {
    }

    /** Which fold (0..k−1) each of {@code n} examples falls in: a shuffle by {@code seed}, dealt round-robin. */
    public static int[] assign(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("folds must be between 2 and the number of examples (" + n + "), got " + k);
        }
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int[] fold = new int[n];
        for (int j = 0; j < n; j++) {
            fold[order.get(j)] = j % k;
        }
        return fold;
    }

    /**
     * Folds that keep groups whole: every example of a group (an MMLU subject, a benchmark) falls in one
     * fold, so each is predicted by a model that never saw its group. The groups are shuffled by
     * {@code seed}, then, largest first, each goes to the fold with the fewest examples so far (the lowest
     * fold on a tie), which keeps the folds about equal.
     *
     * @param group each example's group; never null
     */
    public static int[] assignByGroup(String[] group, int k, long seed) {
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        for (String g : group) {
            sizes.merge(java.util.Objects.requireNonNull(g, "group"), 1, Integer::sum);
        }
        if (k < 2 || k > sizes.size()) {
            throw new IllegalArgumentException("grouped folds need between 2 and the number of groups (" + sizes.size() + ") folds, got " + k);
        }
        List<String> order = new ArrayList<>(sizes.keySet());
        Collections.shuffle(order, new Random(seed));
        order.sort(java.util.Comparator.comparing(sizes::get).reversed()); // stable: the shuffle breaks ties in size
        Map<String, Integer> foldOf = new java.util.HashMap<>();
        int[] filled = new int[k];
        for (String g : order) {
            int smallest = 0;
            for (int f = 1; f < k; f++) {
                if (filled[f] < filled[smallest]) {
                    smallest = f;
                }
            }
            foldOf.put(g, smallest);
            filled[smallest] += sizes.get(g);
        }
        int[] fold = new int[group.length];
        for (int i = 0; i < group.length; i++) {
            fold[i] = foldOf.get(group[i]);
        }
        return fold;
    }

    /**
     * Trains one model per fold on the other folds and returns every example's predictions by the
     * model that held it out; {@code foldDone} hears each fold finish. An example of fold −1 is in every
     * model's training and has no prediction (null).
     */
    public static Result run(Trainer trainer, List<Example> examples, float[][] embeddings, int[] fold, int k,
                                       Trainer.Source source, java.util.function.IntConsumer foldDone) {
        int n = examples.size();
        int dims = embeddings[0].length;
        float[] flat = new float[n * dims];
        for (int i = 0; i < n; i++) {
            System.arraycopy(embeddings[i], 0, flat, i * dims, dims);
        }
        NeighbourIndex all = new NeighbourIndex(flat, dims);
        int want = trainer.settings().neighbours();
        // enough spare that a fold almost never runs short; if one does, it searches its own training set
        int spare = want + (int) Math.ceil(want * 2.0 / k) + 8;
        NeighbourIndex.Neighbours[] global = new NeighbourIndex.Neighbours[n];
        IntStream.range(0, n).parallel().forEach(i -> global[i] = all.nearest(embeddings[i], spare, i, null).sorted());
        Prediction[] out = new Prediction[n];
        List<LearnedModel> models = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] renumber = new int[n];
            List<Example> train = new ArrayList<>();
            List<float[]> trainEmbeddings = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    renumber[i] = -1;
                } else {
                    renumber[i] = train.size();
                    train.add(examples.get(i));
                    trainEmbeddings.add(embeddings[i]);
                }
            }
            NeighbourIndex.Neighbours[] known = new NeighbourIndex.Neighbours[train.size()];
            for (int i = 0; i < n; i++) {
                if (renumber[i] >= 0) {
                    known[renumber[i]] = global[i].restrict(renumber, want);
                }
            }
            LearnedModel model = trainer.train(train, trainEmbeddings.toArray(float[][]::new), known,
                    new Trainer.Source(source.description() + ", fold " + (f + 1) + " of " + k + " held out", source.sha256()));
            int thisFold = f;
            IntStream.range(0, n).filter(i -> fold[i] == thisFold).parallel().forEach(i -> {
                NeighbourIndex.Neighbours near = global[i].restrict(renumber, want);
                if (near == null) {
                    near = model.index().nearest(embeddings[i], want, -1, null);
                }
                out[i] = predict(model, examples.get(i), near, thisFold);
            });
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    Example e = examples.get(i);
                    Map<String, String> answers = new LinkedHashMap<>();
                    Map<String, String> finish = new LinkedHashMap<>();
                    e.outcomes().forEach((m, o) -> {
                        answers.put(m, o.answer());
                        finish.put(m, o.finishReason());
                    });
                    model.remember(e.prompt(), out[i].quality(), out[i].acceptance(), answers, finish);
                }
            }
            models.add(model);
            foldDone.accept(f + 1);
        }
        return new Result(List.copyOf(models), fold.clone(), java.util.Collections.unmodifiableList(java.util.Arrays.asList(out)));
    }

    private static Prediction predict(LearnedModel model, Example e, NeighbourIndex.Neighbours near, int fold) {
        Map<String, Double> acceptance = new LinkedHashMap<>();
        e.outcomes().forEach((m, o) -> {
            if (model.judges(m) && o.answer() != null) {
                acceptance.put(m, model.acceptProbability(m, e.prompt(), near, o.answer(), o.finishReason()));
            }
        });
        return new Prediction(fold, model.predictQuality(e.prompt(), near), acceptance);
    }

    /**
     * Two disjoint draws of {@code perGroup} examples of each group, by {@code seed} (each at most half a
     * group): the examples a team would have labelled of a topic new to its router. 1 marks the first
     * draw, 2 the second, 0 neither. A model trained with one draw routes the other's examples, so every
     * example is routed by a model that saw that many labelled examples of its group, never itself.
     */
    public static int[] labelledOfEachGroup(String[] group, int perGroup, long seed) {
        Map<String, List<Integer>> members = new java.util.TreeMap<>();
        for (int i = 0; i < group.length; i++) {
            members.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
        }
        int[] out = new int[group.length];
        Random random = new Random(seed);
        for (List<Integer> m : members.values()) {
            Collections.shuffle(m, random);
            int n = Math.min(perGroup, m.size() / 2);
            for (int j = 0; j < 2 * n; j++) {
                out[m.get(j)] = j < n ? 1 : 2;
            }
        }
        return out;
    }

    /** The positions of the examples in {@code fold}. */
    public static int[] members(int[] assignment, int fold) {
        return IntStream.range(0, assignment.length).filter(i -> assignment[i] == fold).toArray();
    }

}
