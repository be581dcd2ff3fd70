package dev.triage.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /v1/chat/completions}: the completion and its chunks as they are, then {@code [DONE]}. */
record ChatReply(boolean includeUsage) implements Reply {

    @Override
    public ObjectNode body(ObjectNode completion) {
        return completion;
    }

    @Override
    public Stream open(SseStream sse) {
        return new Stream() {
            @Override
            public void chunk(ObjectNode chunk) {
                sse.send(chunk);
            }

            @Override
            public void finish(ObjectNode usageChunk) {
                if (includeUsage) {
                    sse.send(usageChunk);
                }
                sse.done();
            }

            @Override
            public void fail(ObjectNode error) {
                ObjectNode event = JsonNodeFactory.instance.objectNode();
                event.set("error", error);
                sse.send(event);
                sse.done();
            }
        };
    }
}
