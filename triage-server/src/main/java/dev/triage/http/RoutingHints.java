package dev.triage.http;

import dev.triage.analysis.Hints;
import dev.triage.analysis.QualityRequirement;
import dev.triage.analysis.TaskType;
import dev.triage.chat.ChatRequest;
import io.javalin.http.Context;
import java.time.Duration;

/** Reads the caller's routing hints: {@code x-triage-task} (or {@code metadata.task_type}), {@code x-triage-quality}, {@code x-triage-max-latency-ms}. */
final class RoutingHints {

    private RoutingHints() {
    }

    static Hints from(Context ctx, ChatRequest request) {
        String task = ctx.header("x-triage-task");
        String param = "x-triage-task";
        if (task == null && request.body().path("metadata").path("task_type").isTextual()) {
            task = request.body().path("metadata").path("task_type").asText();
            param = "metadata.task_type";
        }
        TaskType type = null;
        if (task != null) {
            ClientText.check(param, task, ClientText.MAX_NAME_CHARS);
            try {
                type = new TaskType(task);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(param, "'" + param + "' " + e.getMessage());
            }
        }
        String q = ctx.header("x-triage-quality");
        QualityRequirement quality = null;
        if (q != null) {
            try {
                quality = QualityRequirement.parse(q);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("x-triage-quality", "'x-triage-quality' " + e.getMessage());
            }
        }
        String l = ctx.header("x-triage-max-latency-ms");
        Duration latency = null;
        if (l != null) {
            try {
                long ms = Long.parseLong(l.trim());
                if (ms < 1) {
                    throw new NumberFormatException();
                }
                latency = Duration.ofMillis(ms);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("x-triage-max-latency-ms", "'x-triage-max-latency-ms' must be a positive number of milliseconds");
            }
        }
        return new Hints(type, quality, latency);
    }
}
