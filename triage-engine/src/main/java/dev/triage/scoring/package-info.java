/** Confidence scorers for cascades and task-rule thresholds: heuristic, logprob, verifier, consistency. */
package dev.triage.scoring;
