/** Retries with jittered backoff, per-model circuit breakers, and the settings that drive them. */
package dev.triage.resilience;
