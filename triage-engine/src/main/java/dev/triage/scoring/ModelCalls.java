package dev.triage.scoring;

import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;

/**
 * Lets a scorer call a model (a judge, or more samples). Every such call is a costed upstream attempt
 * in the ledger, marked with {@code purpose}, and counts toward the request's cost.
 */
@FunctionalInterface
public interface ModelCalls {

    /**
     * @param request a complete request; its {@code model} field is ignored
     * @param model   Triage's model id
     * @param purpose why the call is made, e.g. {@code judge} or {@code sample}
     */
    ChatResponse call(ChatRequest request, String model, String purpose);
}
