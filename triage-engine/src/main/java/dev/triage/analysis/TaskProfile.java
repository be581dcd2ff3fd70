package dev.triage.analysis;

import java.time.Duration;

/**
 * The seed's "task complexity analysis" of one request.
 *
 * @param inputTokens  estimated prompt tokens (jtokkit)
 * @param taskType     what the request asks for
 * @param complexity   how hard it looks
 * @param quality      the quality the caller needs (hint, else {@code STANDARD})
 * @param latencyLimit the caller's latency limit (hint), or null
 * @param confidence   0..1: how sure the analyser is of {@code taskType} (1 when the caller said so)
 * @param taskHinted   whether {@code taskType} came from the caller rather than inference
 */
public record TaskProfile(int inputTokens, TaskType taskType, Complexity complexity, QualityRequirement quality,
                          Duration latencyLimit, double confidence, boolean taskHinted) {
}
