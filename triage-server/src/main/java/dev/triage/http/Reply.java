package dev.triage.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How an answer goes back to the client: the wire format of the door the request came in at. Routing,
 * budgets, the ledger and the response cache always work on Chat Completions; a reply only translates
 * what leaves. {@link ChatReply} sends it as it is, {@link ResponsesReply} as the Responses API.
 */
sealed interface Reply permits ChatReply, ResponsesReply {

    /** The non-streaming body for this {@code chat.completion}. */
    ObjectNode body(ObjectNode completion);

    /** The writer of one streamed answer over {@code sse}; called once the first byte is about to go. */
    Stream open(SseStream sse);

    /** One streamed answer, fed the {@code chat.completion.chunk}s in order. */
    interface Stream {

        void chunk(ObjectNode chunk);

        /** The answer is complete; {@code usageChunk} is the closing chunk with {@code usage} and {@code triage}. */
        void finish(ObjectNode usageChunk);

        /** The upstream failed after part of the answer went out: {@code error} is OpenAI's error object. */
        void fail(ObjectNode error);
    }
}
