package dev.triage.dispatch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.StreamOutcome;
import dev.triage.provider.openai.OpenAiFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * An in-process provider for dispatcher unit tests: each call takes the next scripted step. Wire-format
 * fidelity is tested per provider against MockWebServer; here only the dispatcher's decisions matter.
 */
final class ScriptedProvider implements Provider {

    private final String name;
    private final Deque<Function<ProviderCall, Object>> steps = new ArrayDeque<>();
    final List<String> calledModels = new ArrayList<>();

    ScriptedProvider(String name) {
        this.name = name;
    }

    ScriptedProvider answer(String text, long in, long out) {
        steps.add(call -> new Answer(text, Usage.reported(in, out)));
        return this;
    }

    ScriptedProvider fail(ProviderException e) {
        steps.add(call -> e);
        return this;
    }

    /** Runs {@code step} for the next call; it returns an {@link Answer}, {@link Parts} or a {@link ProviderException} to throw. */
    ScriptedProvider then(Function<ProviderCall, Object> step) {
        steps.add(step);
        return this;
    }

    /** Streams {@code parts} then either ends or throws {@code thenFail}. */
    ScriptedProvider streamParts(List<String> parts, ProviderException thenFail) {
        steps.add(call -> new Parts(parts, thenFail));
        return this;
    }

    record Answer(String text, Usage usage) {
    }

    record Parts(List<String> parts, ProviderException thenFail) {
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderFactory kind() {
        return new OpenAiFactory();
    }

    private Object next(ProviderCall call) {
        calledModels.add(call.upstreamModel());
        Function<ProviderCall, Object> step = steps.poll();
        if (step == null) {
            throw new AssertionError("unexpected call to " + call.upstreamModel());
        }
        Object result = step.apply(call);
        if (result instanceof ProviderException e) {
            throw e;
        }
        return result;
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        Object r = next(call);
        if (r instanceof Answer a) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("object", "chat.completion");
            body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                    .putObject("message").put("role", "assistant").put("content", a.text());
            return new ChatResponse(body, a.usage(), "stop");
        }
        throw new AssertionError("scripted a stream step for a non-streaming call");
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        Object r = next(call);
        if (r instanceof Parts p) {
            for (String part : p.parts()) {
                ObjectNode chunk = JsonNodeFactory.instance.objectNode();
                chunk.put("object", "chat.completion.chunk");
                chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", part);
                sink.onChunk(chunk);
            }
            if (p.thenFail() != null) {
                throw p.thenFail();
            }
            return new StreamOutcome(Usage.reported(10, p.parts().size()), "stop");
        }
        if (r instanceof Answer a) {
            return new StreamOutcome(a.usage(), "stop");
        }
        throw new AssertionError("bad step");
    }
}
