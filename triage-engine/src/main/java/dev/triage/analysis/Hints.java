package dev.triage.analysis;

import java.time.Duration;

/**
 * What the caller says about a request: header {@code x-triage-task} or {@code metadata.task_type},
 * header {@code x-triage-quality}, header {@code x-triage-max-latency-ms}. Any may be null.
 */
public record Hints(TaskType task, QualityRequirement quality, Duration maxLatency) {

    public static final Hints NONE = new Hints(null, null, null);
}
