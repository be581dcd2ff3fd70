package dev.triage.scoring;

import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A {@link ModelCalls} that answers from a script and records every call. */
final class ScriptedModelCalls implements ModelCalls {

    record Call(ChatRequest request, String model, String purpose) {
    }

    private final Deque<Object> script = new ArrayDeque<>();
    final List<Call> calls = new ArrayList<>();

    /** Queues replies: a String becomes a {@code chat.completion} with that content, a RuntimeException is thrown. */
    ScriptedModelCalls then(Object... replies) {
        for (Object r : replies) {
            script.add(r);
        }
        return this;
    }

    @Override
    public ChatResponse call(ChatRequest request, String model, String purpose) {
        calls.add(new Call(request, model, purpose));
        Object next = script.poll();
        if (next == null) {
            throw new AssertionError("unexpected call #" + calls.size() + " to " + model + " for " + purpose);
        }
        if (next instanceof RuntimeException e) {
            throw e;
        }
        if (next instanceof ChatResponse r) {
            return r;
        }
        return Completions.response((String) next);
    }

    static final ModelCalls NONE = (request, model, purpose) -> {
        throw new AssertionError("this scorer must not call a model, but called " + model + " for " + purpose);
    };
}
