/**
 * In-process sentence embeddings for learned routing: all-MiniLM-L6-v2 on ONNX Runtime behind the
 * engine's {@link dev.triage.embed.Embedder}, found through {@link dev.triage.embeddings.MiniLmEmbedderProvider}.
 * {@link dev.triage.embeddings.EmbeddingConfig} holds the settings; the encoder, the caches and the
 * disk store are package-private.
 */
package dev.triage.embeddings;
