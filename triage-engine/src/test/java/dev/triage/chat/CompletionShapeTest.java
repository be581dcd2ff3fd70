package dev.triage.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The OpenAI wire shape Triage answers in, byte for byte. */
class CompletionShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String UPSTREAM = "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion\",\"created\":1753443000,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":1,\"total_tokens\":10},\"system_fingerprint\":\"fp_1\"}";

    @Test
    void theGatewaysAnswerKeepsTheUpstreamsFieldsInOrderWithItsOwnIdModelAndBilledUsage() throws Exception {
        ObjectNode upstream = parse(UPSTREAM);

        ObjectNode answer = CompletionShape.readdressed(upstream, CompletionShape.idFor("req-1"), "fast",
                new Usage(9, 1, 4, 0, 0, false));

        assertThat(JSON.writeValueAsString(answer)).isEqualTo("{\"id\":\"chatcmpl-req-1\",\"object\":\"chat.completion\","
                + "\"created\":1753443000,\"model\":\"fast\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
                + "\"completion_tokens\":1,\"total_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":4},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"system_fingerprint\":\"fp_1\"}");
        assertThat(JSON.writeValueAsString(upstream)).as("the provider's body is not edited").isEqualTo(UPSTREAM);
    }

    @Test
    void usageGoesLastWhenTheUpstreamReportedNone() throws Exception {
        ObjectNode upstream = parse("{\"id\":\"x\",\"model\":\"m\",\"choices\":[]}");

        ObjectNode answer = CompletionShape.readdressed(upstream, "chatcmpl-r", "fast", Usage.estimate(3, 2));

        assertThat(JSON.writeValueAsString(answer)).isEqualTo("{\"id\":\"chatcmpl-r\",\"model\":\"fast\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}");
    }

    @Test
    void logprobsTheClientDidNotAskForAreNulledInANewBody() throws Exception {
        String scored = "{\"id\":\"a\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"4\"},"
                + "\"logprobs\":{\"content\":[{\"token\":\"4\",\"logprob\":-0.01}]},\"finish_reason\":\"stop\"}],\"usage\":{}}";
        ObjectNode body = parse(scored);

        ObjectNode shown = CompletionShape.withoutLogprobs(body);

        assertThat(JSON.writeValueAsString(shown)).isEqualTo("{\"id\":\"a\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"4\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{}}");
        assertThat(JSON.writeValueAsString(body)).as("the scored body is not edited").isEqualTo(scored);
        assertThat(shown.get("choices").get(0).get("message")).as("shared, not copied").isSameAs(body.get("choices").get(0).get("message"));
    }

    @Test
    void aBodyWithoutLogprobsIsShownAsItIs() throws Exception {
        ObjectNode body = parse(UPSTREAM);

        assertThat(CompletionShape.withoutLogprobs(body)).isSameAs(body);
    }

    @Test
    void chunksAndTheUsageChunkOfOneStreamShareIdCreatedAndModel() throws Exception {
        CompletionShape shape = CompletionShape.ofRequest("req-2", 1749400000, "fast");

        assertThat(JSON.writeValueAsString(shape.chunk(NODES.objectNode().put("content", "Hel"), null)))
                .isEqualTo("{\"id\":\"chatcmpl-req-2\",\"object\":\"chat.completion.chunk\",\"created\":1749400000,"
                        + "\"model\":\"fast\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}");
        assertThat(JSON.writeValueAsString(shape.chunk(NODES.objectNode(), "length")))
                .endsWith("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}]}");
        assertThat(JSON.writeValueAsString(shape.usageChunk(new Usage(12, 30, 0, 0, 20, false))))
                .isEqualTo("{\"id\":\"chatcmpl-req-2\",\"object\":\"chat.completion.chunk\",\"created\":1749400000,"
                        + "\"model\":\"fast\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,"
                        + "\"total_tokens\":42,\"prompt_tokens_details\":{\"cached_tokens\":0},"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":20}}}");
    }

    @Test
    void aCompletionIsBuiltWholeFromItsChoicesAndUsage() throws Exception {
        var calls = NODES.arrayNode();
        calls.addObject().put("id", "call_1").put("type", "function");
        ObjectNode choice = CompletionShape.choice(0, CompletionShape.assistantMessage("", "thought", calls), "tool_calls");

        ObjectNode body = new CompletionShape("msg_1", 7, "claude").completion(NODES.arrayNode().add(choice),
                CompletionShape.usageWithoutReasoning(new Usage(5, 2, 1, 0, 0, false)));

        assertThat(JSON.writeValueAsString(body)).isEqualTo("{\"id\":\"msg_1\",\"object\":\"chat.completion\",\"created\":7,"
                + "\"model\":\"claude\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"reasoning_content\":\"thought\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\"}]},"
                + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2,\"total_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":1}}}");
        assertThat(new CompletionShape("x", 0, "m").completion(NODES.arrayNode(), null).has("usage")).isFalse();
    }

    private static ObjectNode parse(String json) throws JsonProcessingException {
        return (ObjectNode) JSON.readTree(json);
    }
}
