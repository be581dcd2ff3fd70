package dev.triage.learn;

import dev.triage.embed.Embedder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A trained router and cascade scorer: for a prompt, each known model's predicted quality (0..1); for
 * a model's answer, the probability that it is acceptable.
 *
 * <p>Both predictions combine the outcomes of the {@code k} recorded prompts most similar to the new
 * one (by embedding) with cheap features of the text ({@link PromptFeatures}, {@link AnswerFeatures})
 * in a linear model fitted by {@code Trainer} (in triage-tools). Immutable and thread-safe; read and
 * written by {@link ModelFile}.
 */
public final class LearnedModel {

    /** Per model: how each recorded prompt scored (NaN where the model has no outcome). */
    record ModelData(double[] scores, double meanScore, LinearHead quality, LinearHead acceptance) {
    }

    private final Provenance provenance;
    private final NeighbourIndex index;
    private final Map<String, ModelData> models;
    private final int neighbours;
    private final Embedder embedder;
    private final PredictionCache<Map<String, Double>> cache = new PredictionCache<>(20_000);
    private final PredictionCache<Double> acceptanceCache = new PredictionCache<>(20_000);

    LearnedModel(Provenance provenance, NeighbourIndex index, Map<String, ModelData> models, Embedder embedder) {
        this.provenance = provenance;
        this.index = index;
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.neighbours = provenance.settings().neighbours();
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (!embedder.id().equals(provenance.embedder())) {
            throw new IllegalArgumentException("the model was trained with embeddings '" + provenance.embedder()
                    + "' but this Triage embeds with '" + embedder.id() + "'; retrain it with `triage train`");
        }
    }

    public Provenance provenance() {
        return provenance;
    }

    /** The models it predicts quality for, in training order. */
    public Set<String> models() {
        return models.keySet();
    }

    /** Whether it can judge {@code model}'s answers (it saw enough of that model's answers to learn from). */
    public boolean judges(String model) {
        ModelData d = models.get(model);
        return d != null && d.acceptance() != null;
    }

    /** The models whose answers it can judge. */
    public List<String> judgedModels() {
        return models.keySet().stream().filter(this::judges).toList();
    }

    /**
     * Each model's predicted quality on {@code prompt} (the {@link PromptText} of a request). Values are
     * the linear model's output and may stray a little outside 0..1; compare them, do not show them raw.
     */
    public Map<String, Double> predictQuality(String prompt) {
        return cache.get(prompt, p -> java.util.Collections.unmodifiableMap(predictQuality(p, embedder.embed(p))));
    }

    /** As {@link #predictQuality(String)}, for a prompt whose embedding is already known. */
    Map<String, Double> predictQuality(String prompt, float[] embedding) {
        return predictQuality(prompt, index.nearest(embedding, neighbours, -1, null));
    }

    /** As {@link #predictQuality(String)}, for a prompt whose neighbours are already found. */
    Map<String, Double> predictQuality(String prompt, NeighbourIndex.Neighbours near) {
        double[] x = Features.quality(PromptFeatures.of(prompt), neighbourScores(near));
        Map<String, Double> out = new LinkedHashMap<>();
        models.forEach((model, d) -> out.put(model, d.quality().linear(x)));
        return out;
    }

    /**
     * The probability that {@code model}'s {@code answer} to {@code prompt} is acceptable (would score
     * well), or empty when this model file cannot judge that model's answers.
     */
    public Optional<Double> acceptProbability(String model, String prompt, String answer, String finishReason) {
        ModelData d = models.get(model);
        if (d == null || d.acceptance() == null) {
            return Optional.empty();
        }
        return Optional.of(acceptanceCache.get(acceptanceKey(model, prompt, answer, finishReason),
                k -> acceptProbability(d, prompt, embedder.embed(prompt), answer, finishReason)));
    }

    private static String acceptanceKey(String model, String prompt, String answer, String finishReason) {
        return model + '\u0000' + finishReason + '\u0000' + answer + '\u0000' + prompt;
    }

    /**
     * Remembers predictions already computed for a prompt (cross-validation computes them with the
     * same neighbours the model would find), so a simulated sweep through the router costs lookups.
     */
    void remember(String prompt, Map<String, Double> quality, Map<String, Double> acceptance, Map<String, String> answers,
                  Map<String, String> finishReasons) {
        cache.put(prompt, quality);
        acceptance.forEach((m, p) -> acceptanceCache.put(acceptanceKey(m, prompt, answers.get(m), finishReasons.get(m)), p));
    }

    /** As {@link #acceptProbability(String, String, String, String)}, for a judged model and a known embedding. */
    double acceptProbability(String model, String prompt, NeighbourIndex.Neighbours near, String answer, String finishReason) {
        return acceptProbability(models.get(model), prompt, near, answer, finishReason);
    }

    private double acceptProbability(ModelData d, String prompt, float[] e, String answer, String finishReason) {
        return acceptProbability(d, prompt, index.nearest(e, neighbours, -1, null), answer, finishReason);
    }

    private double acceptProbability(ModelData d, String prompt, NeighbourIndex.Neighbours near, String answer,
                                     String finishReason) {
        return d.acceptance().apply(Features.acceptance(PromptFeatures.of(prompt),
                AnswerFeatures.of(prompt, answer, finishReason), neighbourScores(near)));
    }

    /** Every model's similarity-weighted mean score over {@code near}, in training order. */
    double[] neighbourScores(NeighbourIndex.Neighbours near) {
        double[] out = new double[models.size()];
        int j = 0;
        for (ModelData d : models.values()) {
            out[j++] = NeighbourIndex.weightedMean(near, d.scores(), d.meanScore());
        }
        return out;
    }

    NeighbourIndex index() {
        return index;
    }

    Map<String, ModelData> data() {
        return models;
    }
}
