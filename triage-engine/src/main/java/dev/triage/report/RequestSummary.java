package dev.triage.report;

import dev.triage.chat.Money;
import dev.triage.ledger.AttemptStatus;
import java.time.Instant;
import java.util.List;

/**
 * One request of the log, from its attempts in the ledger.
 *
 * @param time      when its first attempt started
 * @param key       the virtual key it came with, or null
 * @param route     the route or model it asked for
 * @param model     the model of its last attempt that is not a scorer's call: the model that answered, when it did
 * @param models    every attempt's model, in order (retries repeat a model)
 * @param attempts  its upstream attempts, scorer calls and failures included
 * @param cost      every attempt's cost, exact
 * @param latencyMs from the start of its first attempt to the end of the last one to end
 * @param ttftMs    the time to first token of the attempt behind {@code model}, when it was streamed; else null
 * @param status    how that attempt ended ({@code OK}: answered)
 * @param user      the OpenAI {@code user} field, or null
 * @param task      the task type the router assigned, or null
 * @param prompt    the prompt text kept by {@code storage.capture_text}, or null (off, or not kept)
 * @param answer    the answer text kept with it, or null
 */
public record RequestSummary(Instant time, String requestId, String key, String route, String model, List<String> models,
                             int attempts, long inputTokens, long outputTokens, Money cost, long latencyMs, Long ttftMs,
                             AttemptStatus status, String user, String task, String prompt, String answer) {
}
