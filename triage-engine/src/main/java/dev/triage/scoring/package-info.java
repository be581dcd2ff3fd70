/** Confidence scorers for cascades and task-rule thresholds ({@link dev.triage.scoring.ScorerSpec} names them): heuristic, logprob, verifier, consistency, learned. */
package dev.triage.scoring;
