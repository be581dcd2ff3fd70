package dev.triage.provider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.StreamOutcome;
import dev.triage.tokens.TokenEstimator;
import java.util.Collections;

/** Answers with the last user message, {@code repeat} times; usage is counted with the gateway's tokenizer. */
record EchoProvider(String name, int repeat, TokenEstimator tokens) implements Provider {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public ProviderFactory kind() {
        return new EchoFactory();
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        String text = answer(call);
        Usage usage = usage(call, text);
        CompletionShape shape = new CompletionShape("echo-1", 0, call.upstreamModel());
        ObjectNode body = shape.completion(NODES.arrayNode().add(CompletionShape.choice(0,
                CompletionShape.assistantMessage(text, null, null), "stop")), CompletionShape.usage(usage));
        return new ChatResponse(body, usage, "stop");
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        String question = question(call);
        CompletionShape chunks = new CompletionShape("echo-1", 0, call.upstreamModel());
        sink.onChunk(chunks.chunk(NODES.objectNode().put("role", "assistant").put("content", ""), null));
        for (int i = 0; i < repeat; i++) {
            sink.onChunk(chunks.chunk(NODES.objectNode().put("content", (i == 0 ? "" : " ") + question), null));
        }
        sink.onChunk(chunks.chunk(NODES.objectNode(), "stop"));
        return new StreamOutcome(usage(call, answer(call)), "stop");
    }

    private String answer(ProviderCall call) {
        return String.join(" ", Collections.nCopies(repeat, question(call)));
    }

    private Usage usage(ProviderCall call, String text) {
        return Usage.reported(tokens.countMessages(call.request().messages()), tokens.count(text));
    }

    private static String question(ProviderCall call) {
        JsonNode messages = call.request().messages();
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asText();
    }
}
