package dev.triage.learn;

import dev.triage.embed.Embedder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Fits a {@link LearnedModel} to recorded outcomes.
 *
 * <p>For every model: the mean score of each training prompt's {@code k} nearest other prompts
 * (leave-one-out, so a prompt never predicts itself) joins the prompt's cheap features, and a ridge
 * regression on them predicts the model's score; where the model's answers are recorded, an
 * L2-penalised logistic regression on the answer's features, the prompt's and the same neighbour
 * score predicts whether the answer is acceptable. Kept simple on purpose: k-nearest neighbours and
 * two linear heads, chosen by five-fold cross-validation on the shipped GSM8K and MMLU files (see the
 * README); nothing here is tuned per dataset.
 */
public final class Trainer {

    /** Where the examples came from, for the model's {@link Provenance}. */
    public record Source(String description, String sha256) {
    }

    private final Embedder embedder;
    private final TrainingSettings settings;
    private final Clock clock;

    public Trainer(Embedder embedder, TrainingSettings settings, Clock clock) {
        this.embedder = embedder;
        this.settings = settings;
        this.clock = clock;
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** Embeds every example's prompt (in parallel, as far as the embedder allows) and trains on all of them. */
    public LearnedModel train(List<Example> examples, Source source, IntConsumer embedded) {
        return train(examples, embedAll(embedder, examples.stream().map(Example::prompt).toList(), embedded), source);
    }

    /** Trains on {@code examples} whose prompts' embeddings are {@code embeddings}, in the same order. */
    public LearnedModel train(List<Example> examples, float[][] embeddings, Source source) {
        return train(examples, embeddings, null, source);
    }

    /**
     * As {@link #train(List, float[][], Source)}, with each example's neighbours among the others
     * already found ({@code known[i]} null where they are not): cross-validation finds them once for
     * all folds.
     */
    LearnedModel train(List<Example> examples, float[][] embeddings, NeighbourIndex.Neighbours[] known, Source source) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to train on");
        }
        if (embeddings.length != examples.size()) {
            throw new IllegalArgumentException("one embedding per example");
        }
        int n = examples.size();
        int dims = embedder.dimensions();
        float[] flat = new float[n * dims];
        for (int i = 0; i < n; i++) {
            System.arraycopy(embeddings[i], 0, flat, i * dims, dims);
        }
        NeighbourIndex index = new NeighbourIndex(flat, dims);
        Set<String> modelIds = new LinkedHashSet<>();
        examples.forEach(e -> modelIds.addAll(e.outcomes().keySet()));
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, Integer> outcomeCounts = new LinkedHashMap<>();
        Map<String, Integer> answerCounts = new LinkedHashMap<>();
        for (String m : modelIds) {
            double[] s = new double[n];
            int outcomes = 0;
            int answers = 0;
            for (int i = 0; i < n; i++) {
                Example.Outcome o = examples.get(i).outcomes().get(m);
                s[i] = o == null ? Double.NaN : o.score();
                outcomes += o == null ? 0 : 1;
                answers += o != null && o.answer() != null && !o.answer().isBlank() ? 1 : 0;
            }
            scores.put(m, s);
            outcomeCounts.put(m, outcomes);
            answerCounts.put(m, answers);
        }
        // each training prompt's neighbours among the others, found once and shared by every model's head
        NeighbourIndex.Neighbours[] near = new NeighbourIndex.Neighbours[n];
        IntStream.range(0, n).parallel().forEach(i -> near[i] = known != null && known[i] != null ? known[i]
                : index.nearest(embeddings[i], settings.neighbours(), i, null));
        double[][] promptFeatures = new double[n][];
        double[] means = scores.values().stream().mapToDouble(Trainer::mean).toArray();
        double[][] neighbourScores = new double[n][];
        for (int i = 0; i < n; i++) {
            promptFeatures[i] = PromptFeatures.of(examples.get(i).prompt());
            neighbourScores[i] = neighbourScores(near[i], scores, means);
        }
        Map<String, LearnedModel.ModelData> data = new LinkedHashMap<>();
        for (String m : modelIds) {
            data.put(m, fit(m, examples, scores.get(m), neighbourScores, promptFeatures));
        }
        Provenance provenance = new Provenance(clock.instant(), source.description(), source.sha256(), n, outcomeCounts,
                answerCounts, embedder.id(), settings);
        return new LearnedModel(provenance, index, data, embedder);
    }

    private LearnedModel.ModelData fit(String model, List<Example> examples, double[] scores, double[][] neighbourScores,
                                       double[][] promptFeatures) {
        List<double[]> qx = new ArrayList<>();
        List<Double> qy = new ArrayList<>();
        List<double[]> ax = new ArrayList<>();
        List<Double> ay = new ArrayList<>();
        boolean good = false;
        boolean bad = false;
        for (int i = 0; i < examples.size(); i++) {
            if (Double.isNaN(scores[i])) {
                continue;
            }
            double[] knn = neighbourScores[i];
            qx.add(Features.quality(promptFeatures[i], knn));
            qy.add(scores[i]);
            Example.Outcome o = examples.get(i).outcomes().get(model);
            if (o.answer() != null) {
                ax.add(Features.acceptance(promptFeatures[i], AnswerFeatures.of(examples.get(i).prompt(), o.answer(),
                        o.finishReason()), knn));
                double y = acceptable(model, examples.get(i));
                ay.add(y);
                good |= y >= 0.5;
                bad |= y < 0.5;
            }
        }
        LinearHead quality = LinearHead.ridge(qx.toArray(double[][]::new), unbox(qy), ones(qy.size()), settings.l2());
        LinearHead acceptance = ax.size() >= settings.minAnswers() && good && bad
                ? LinearHead.logistic(ax.toArray(double[][]::new), unbox(ay), ones(ay.size()), settings.l2())
                : null;
        return new LearnedModel.ModelData(scores, mean(scores), quality, acceptance);
    }

    /**
     * How acceptable {@code model}'s answer was: 1 minus how much better the best other recorded model
     * did on the same prompt, or, with no other outcome (a ledger request), its own score. A cascade
     * should escalate only where another model would do better; an answer every model got wrong is
     * not worth escalating.
     */
    static double acceptable(String model, Example e) {
        double own = e.outcomes().get(model).score();
        double others = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Example.Outcome> o : e.outcomes().entrySet()) {
            if (!o.getKey().equals(model)) {
                others = Math.max(others, o.getValue().score());
            }
        }
        return others == Double.NEGATIVE_INFINITY ? own : 1 - Math.max(0, others - own);
    }

    /** Every model's similarity-weighted mean score over {@code near}, its overall mean where none of them has one. */
    private static double[] neighbourScores(NeighbourIndex.Neighbours near, Map<String, double[]> all, double[] means) {
        double[] out = new double[all.size()];
        int j = 0;
        for (double[] s : all.values()) {
            out[j] = NeighbourIndex.weightedMean(near, s, means[j]);
            j++;
        }
        return out;
    }

    /** The mean of the scores a model has (NaN marks none), 0.5 when it has none. */
    private static double mean(double[] scores) {
        return Arrays.stream(scores).filter(v -> !Double.isNaN(v)).average().orElse(0.5);
    }

    /**
     * Embeds {@code texts} through the embedder's batch path ({@link Embedder#embedAll}: the embeddings
     * module spreads it over its pool and keeps the vectors on disk for the next run), reporting the
     * count done.
     */
    public static float[][] embedAll(Embedder embedder, List<String> texts, IntConsumer embedded) {
        return embedder.embedAll(texts, (done, total) -> embedded.accept(done)).toArray(float[][]::new);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }
}
