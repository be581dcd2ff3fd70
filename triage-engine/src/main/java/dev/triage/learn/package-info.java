/**
 * Learned routing: a model trained on recorded outcomes ({@link dev.triage.learn.Trainer}) that
 * predicts, per prompt, each model's quality (the {@code learned} policy) and, per answer, whether it
 * is acceptable (the {@code learned} cascade scorer); stored in a versioned file
 * ({@link dev.triage.learn.ModelFile}) and measured honestly by {@link dev.triage.learn.CrossValidation}.
 */
package dev.triage.learn;
