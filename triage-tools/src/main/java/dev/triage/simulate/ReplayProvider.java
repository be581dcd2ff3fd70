package dev.triage.simulate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.StreamOutcome;
import dev.triage.provider.simulated.SimulatedFactory;
import java.util.Map;

/**
 * Answers each dataset item with what the model really answered when the dataset was recorded: its
 * response text (empty when the dataset has none) and its token counts. The simulator puts it behind
 * the real dispatcher and router, so a simulated request takes the gateway's own code path.
 *
 * <p>Which item a request is for travels in {@code metadata.triage_replay_item}.
 */
public final class ReplayProvider implements Provider {

    /** The metadata key naming the dataset item a request replays. */
    public static final String ITEM_KEY = "triage_replay_item";

    private final String name;
    private final Map<String, ReplayItem> items;

    /**
     * A recorded item: prompt tokens, and per model its answer, output tokens and score.
     *
     * @param answers model id → recorded answer
     */
    public record ReplayItem(long inputTokens, Map<String, RecordedAnswer> answers) {
    }

    /** @param text the response, or "" when the dataset has none */
    public record RecordedAnswer(String text, long outputTokens, double score) {
    }

    public ReplayProvider(String name, Map<String, ReplayItem> items) {
        this.name = name;
        this.items = items;
    }

    @Override
    public String name() {
        return name;
    }

    /** No config builds it, but it answers offline as the simulated provider does, so it is of that kind. */
    @Override
    public ProviderFactory kind() {
        return new SimulatedFactory();
    }

    private RecordedAnswer answer(ProviderCall call, ReplayItem[] item) {
        String id = call.request().body().path("metadata").path(ITEM_KEY).asText(null);
        ReplayItem it = id == null ? null : items.get(id);
        if (it == null) {
            throw new ProviderException(ErrorKind.BAD_REQUEST, 400, name + ": no recorded item '" + id + "'");
        }
        RecordedAnswer a = it.answers().get(call.upstreamModel());
        if (a == null) {
            throw new ProviderException(ErrorKind.BAD_REQUEST, 400, name + ": item " + id + " has no outcome for model "
                    + call.upstreamModel());
        }
        item[0] = it;
        return a;
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        ReplayItem[] item = new ReplayItem[1];
        RecordedAnswer a = answer(call, item);
        CompletionShape shape = new CompletionShape("replay-" + call.request().body().path("metadata").path(ITEM_KEY).asText(),
                0, call.upstreamModel());
        ObjectNode choice = CompletionShape.choice(0, CompletionShape.assistantMessage(a.text(), null, null), "stop");
        ObjectNode body = shape.completion(JsonNodeFactory.instance.arrayNode().add(choice), null);
        return new ChatResponse(body, Usage.reported(item[0].inputTokens(), a.outputTokens()), "stop");
    }

    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        ReplayItem[] item = new ReplayItem[1];
        RecordedAnswer a = answer(call, item);
        CompletionShape chunks = new CompletionShape("replay", 0, call.upstreamModel());
        sink.onChunk(chunks.chunk(JsonNodeFactory.instance.objectNode().put("role", "assistant").put("content", a.text()), null));
        sink.onChunk(chunks.chunk(JsonNodeFactory.instance.objectNode(), "stop"));
        return new StreamOutcome(Usage.reported(item[0].inputTokens(), a.outputTokens()), "stop");
    }
}
