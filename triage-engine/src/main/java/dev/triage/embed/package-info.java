/**
 * Text embeddings for learned routing: the {@link dev.triage.embed.Embedder} interface the engine
 * programs against, found at run time so that the gateway works without an embeddings module.
 */
package dev.triage.embed;
