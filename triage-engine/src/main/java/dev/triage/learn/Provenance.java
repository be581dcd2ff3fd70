package dev.triage.learn;

import java.time.Instant;
import java.util.Map;

/**
 * What a learned model was trained on and when, recorded in its file so anyone can tell where its
 * predictions come from.
 *
 * @param trainedAt         when training finished
 * @param source            what was read: "dataset gsm8k.jsonl", "ledger sqlite:triage.db, 2026-11-01..2026-11-28"
 * @param sourceSha256      the SHA-256 of the dataset file, or null for a ledger
 * @param examples          how many prompts it learned from
 * @param outcomesPerModel  model id to how many scored outcomes it had
 * @param answersPerModel   model id to how many of those came with a non-empty answer text (an acceptance head
 *                          fitted on empty answers judges from the prompt alone)
 * @param embedder          the {@link dev.triage.embed.Embedder#id()} of the embeddings it was trained with
 * @param settings          the hyper-parameters
 */
public record Provenance(Instant trainedAt, String source, String sourceSha256, int examples,
                         Map<String, Integer> outcomesPerModel, Map<String, Integer> answersPerModel,
                         String embedder, TrainingSettings settings) {

    public Provenance {
        outcomesPerModel = Map.copyOf(outcomesPerModel);
        answersPerModel = Map.copyOf(answersPerModel);
    }
}
