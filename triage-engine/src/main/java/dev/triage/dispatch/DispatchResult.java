package dev.triage.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import java.util.List;

/**
 * A request that got an answer.
 *
 * <p>The body is complete when the result is made (the gateway's id, Triage's model id, the billed usage;
 * see {@link dev.triage.chat.CompletionShape#readdressed}) and is not edited afterwards.
 *
 * @param body         the {@code chat.completion} to return (null for streams, whose chunks went to the listener)
 * @param model        Triage's id of the model that answered
 * @param attempts     the models called, in order, each once
 * @param usage        usage of the answering attempt
 * @param cost         cost of every attempt of the request, summed
 * @param finishReason the answer's finish reason, or null
 */
public record DispatchResult(ObjectNode body, String model, List<String> attempts, Usage usage, Money cost, String finishReason) {
}
