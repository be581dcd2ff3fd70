package dev.triage.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Usage;
import jakarta.servlet.ServletOutputStream;

/**
 * The API a client speaks. Every request runs as a chat completion inside the gateway (routing, budgets,
 * ledger); a dialect tells the client the answer in its own API: {@link #CHAT} as it is, {@link MessagesDialect}
 * as an Anthropic message, {@link ResponsesDialect} as a Response object.
 */
sealed interface Dialect permits ChatDialect, MessagesDialect, ResponsesDialect {

    /** OpenAI Chat Completions: the gateway's own format. */
    Dialect CHAT = new ChatDialect();

    /** The response body for a finished {@code chat.completion}; {@code usage} is what was billed, or null for a cached answer. */
    ObjectNode answer(ObjectNode completion, Usage usage);

    /** A stream to the client, opened once the answering model is known and before its first chunk. */
    Stream open(ServletOutputStream out, String requestId, String model);

    /** An answer going out as server-sent events, made of the gateway's {@code chat.completion.chunk}s. */
    interface Stream {

        void chunk(ObjectNode chatChunk);

        /**
         * The answer is complete.
         *
         * @param usageChunk   the chat usage chunk, with Triage's {@code triage} object
         * @param usage        what was billed, or null when only {@code usageChunk} says it (a cached answer)
         * @param includeUsage whether the client asked for the usage chunk ({@code stream_options.include_usage})
         */
        void end(ObjectNode usageChunk, Usage usage, boolean includeUsage);

        /** The upstream failed after the first byte: said in-band, then the stream ends. */
        void failed(int status, String code, String message);
    }
}
