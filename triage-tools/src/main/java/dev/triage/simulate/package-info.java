/**
 * The cost calculator's ground truth: routing-benchmark datasets (recorded outcomes of a strong and a
 * weak model on every prompt, see {@link dev.triage.simulate.DatasetLoader}) and the RouteLLM metrics
 * that summarise a router's cost–quality curve ({@link dev.triage.simulate.RouterCurve}).
 */
package dev.triage.simulate;
