package dev.triage.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where a streamed answer goes. {@link #onStart} is called once, just before the first chunk: from
 * then on the response is committed and no retry or fallback happens. Both methods may throw
 * {@link dev.triage.provider.ClientGoneException}.
 */
public interface StreamListener {

    /** The model that answers and the models tried so far (it included). */
    void onStart(String model, List<String> attempts);

    /** One OpenAI {@code chat.completion.chunk}, already carrying the gateway's id and Triage's model id. */
    void onChunk(ObjectNode chunk);
}
