/**
 * Learned routing: a model trained on recorded outcomes ({@code Trainer}) that predicts, per prompt,
 * each model's quality (the {@code learned} policy) and, per answer, whether it is acceptable (the
 * {@code learned} cascade scorer); stored in a versioned file ({@link dev.triage.learn.ModelFile}) and
 * measured honestly by {@code CrossValidation}. The request path's half lives here; training
 * ({@code Trainer}, {@code CrossValidation}, {@code Example}) is offline and lives in triage-tools,
 * in this same package.
 */
package dev.triage.learn;
