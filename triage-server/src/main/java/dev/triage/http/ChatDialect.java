package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Usage;
import jakarta.servlet.ServletOutputStream;

/** OpenAI Chat Completions: answers and chunks go out as the gateway made them. */
final class ChatDialect implements Dialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ObjectNode answer(ObjectNode completion, Usage usage) {
        return completion;
    }

    @Override
    public Stream open(ServletOutputStream out, String requestId, String model) {
        SseStream sse = new SseStream(out, JSON);
        return new Stream() {
            @Override
            public void chunk(ObjectNode chatChunk) {
                sse.send(chatChunk);
            }

            @Override
            public void end(ObjectNode usageChunk, Usage usage, boolean includeUsage) {
                if (includeUsage) {
                    sse.send(usageChunk);
                }
                sse.done();
            }

            @Override
            public void failed(int status, String code, String message) {
                ObjectNode event = JSON.createObjectNode();
                ObjectNode error = event.putObject("error");
                error.put("message", message);
                error.put("type", ApiError.typeFor(status));
                error.putNull("param");
                error.put("code", code);
                sse.send(event);
                sse.done();
            }
        };
    }
}
