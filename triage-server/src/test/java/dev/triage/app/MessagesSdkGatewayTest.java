package dev.triage.app;

import static dev.triage.app.MessagesUpstreams.event;
import static dev.triage.app.MessagesUpstreams.json;
import static dev.triage.app.MessagesUpstreams.received;
import static dev.triage.app.MessagesUpstreams.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.triage.chat.Money;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import dev.triage.tokens.TokenEstimator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Anthropic Java SDK pointed at Triage's {@code /v1/messages}: answered by an OpenAI, an Anthropic
 * and a Gemini model, plain and streamed, with tool use round trips, every attempt in the ledger at its cost.
 */
class MessagesSdkGatewayTest {

    private static final String CLAUDE_TEXT = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Paris is sunny."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":1500,"output_tokens":10}}""";
    private static final String CLAUDE_TOOL_USE = """
            {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Let me check."},
                        {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":400,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":40}}""";
    private static final String CLAUDE_THINKING = """
            {"id":"msg_01Thk","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"thinking","thinking":"Six times seven.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
                        {"type":"text","text":"42"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":200}}""";
    private static final String GEMINI_TEXT = """
            {"candidates":[{"content":{"parts":[{"text":"Bonjour!"}],"role":"model"},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17},
             "modelVersion":"gemini-2.0-flash","responseId":"mRZ1aJ7_Lq"}""";
    private static final String GEMINI_TOOL_CALL = """
            {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"location":"Paris"}}}],"role":"model"},
              "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":8,"totalTokenCount":48},
             "modelVersion":"gemini-2.0-flash","responseId":"nRZ1aK8_Mr"}""";

    @TempDir
    Path dir;
    private MessagesUpstreams gw;
    private AnthropicClient sdk;

    @BeforeEach
    void start() {
        gw = new MessagesUpstreams(dir);
        sdk = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey(MessagesUpstreams.KEY).maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        gw.close();
    }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("Current weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string"))).build())
                        .required(List.of("location")).build())
                .build();
    }

    private List<LedgerEntry> ledger(HttpResponseFor<?> response) {
        gw.app.ledger().flush();
        return gw.app.ledger().findByRequest(response.headers().values("x-triage-request-id").getFirst());
    }

    private static Map<?, ?> input(ToolUseBlock block) {
        return block._input().convert(Map.class);
    }

    @Test
    void openAiModelAnswersAMessagesRequest() {
        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponseFor<Message> raw = sdk.messages().withRawResponse().create(MessageCreateParams.builder()
                .model("gpt-mini").maxTokens(64).system("You are terse.").addUserMessage("Say hello")
                .stopSequences(List.of("\n\n")).putAdditionalBodyProperty("temperature", JsonValue.from(0.2)).metadata(Metadata.builder().userId("u-42").build()).build());
        Message message = raw.parse();

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo("gpt-mini");
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("Hello there!"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(19);
        assertThat(message.usage().outputTokens()).isEqualTo(4);
        assertThat(raw.headers().values("x-triage-model")).containsExactly("gpt-mini");
        assertThat(raw.headers().values("x-triage-cost-usd")).containsExactly("0.000027");

        JsonNode upstream = received(gw.openai);
        assertThat(upstream.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(upstream.get("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]");
        assertThat(upstream.get("max_tokens").asInt()).isEqualTo(64);
        assertThat(upstream.get("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(upstream.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(upstream.get("user").asText()).isEqualTo("u-42");

        assertThat(ledger(raw)).singleElement().satisfies(e -> {
            assertThat(e.model()).isEqualTo("gpt-mini");
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.000027")); // 19 x $1 + 4 x $2 per 1M tokens
            assertThat(e.user()).isEqualTo("u-42");
        });
    }

    @Test
    void toolUseRoundTripWithAnOpenAiModel() {
        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TOOL_CALL));
        MessageCreateParams ask = MessageCreateParams.builder().model("gpt-mini").maxTokens(200)
                .addUserMessage("Weather in Paris?").addTool(weatherTool()).build();
        HttpResponseFor<Message> first = sdk.messages().withRawResponse().create(ask);
        Message call = first.parse();

        assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock use = call.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).findFirst().orElseThrow();
        assertThat(use.id()).isEqualTo("call_Zq3mA8kXbL1vT9nR2cE5wYhJ");
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(input(use)).isEqualTo(Map.of("location", "Paris"));
        JsonNode tools = received(gw.openai).get("tools");
        assertThat(tools.get(0).get("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(tools.get(0).get("function").get("parameters").get("required").get(0).asText()).isEqualTo("location");

        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponseFor<Message> second = sdk.messages().withRawResponse().create(ask.toBuilder()
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(use.id()).content("18 C and sunny").build())))
                .build());
        assertThat(second.parse().content().getFirst().asText().text()).isEqualTo("Hello there!");

        ArrayNode messages = (ArrayNode) received(gw.openai).get("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.get("tool_calls").get(0).get("id").asText()).isEqualTo(use.id());
        assertThat(assistant.get("tool_calls").get(0).get("function").get("arguments").asText()).isEqualTo("{\"location\":\"Paris\"}");
        assertThat(messages.get(2).toString())
                .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_Zq3mA8kXbL1vT9nR2cE5wYhJ\",\"content\":\"18 C and sunny\"}");

        assertThat(ledger(first)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.000092"))); // 62 + 15 x 2
        assertThat(ledger(second)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.000027")));
    }

    @Test
    void openAiModelStreamsAnthropicEvents() {
        gw.openai.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        Message message = accumulate(MessageCreateParams.builder().model("gpt-mini").maxTokens(64).addUserMessage("Say hello").build(),
                List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                        "message_delta", "message_stop"));
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("Hello there!"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(19);
        assertThat(message.usage().outputTokens()).isEqualTo(4);
        assertThat(received(gw.openai).get("stream").asBoolean()).isTrue();
    }

    @Test
    void openAiToolCallStreamsAsInputJsonDeltas() {
        gw.openai.enqueue(OpenAiWire.sse(OpenAiWire.TOOL_STREAM).build());
        Message message = accumulate(MessageCreateParams.builder().model("gpt-mini").maxTokens(64).addUserMessage("Weather in Paris?")
                .addTool(weatherTool()).build(), null);
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock use = message.content().getFirst().asToolUse();
        assertThat(use.id()).isEqualTo("call_Zq3mA8kXbL1vT9nR2cE5wYhJ");
        assertThat(input(use)).isEqualTo(Map.of("location", "Paris"));
        assertThat(message.usage().outputTokens()).isEqualTo(15);
    }

    @Test
    void anthropicModelKeepsTheClientsCacheBreakpointsAndReportsCacheUsage() {
        gw.anthropic.enqueue(json(CLAUDE_TEXT));
        String policy = "You are an airline agent. " + "Follow the booking policy to the letter. ".repeat(150);
        HttpResponseFor<Message> raw = sdk.messages().withRawResponse().create(MessageCreateParams.builder()
                .model("claude").maxTokens(300)
                .systemOfTextBlockParams(List.of(TextBlockParam.builder().text(policy)
                        .cacheControl(CacheControlEphemeral.builder().build()).build()))
                .addTool(weatherTool().toBuilder().cacheControl(CacheControlEphemeral.builder().build()).build())
                .addUserMessage("Weather in Paris?").build());
        Message message = raw.parse();

        assertThat(message.content().getFirst().asText().text()).isEqualTo("Paris is sunny.");
        assertThat(message.usage().inputTokens()).isEqualTo(20);
        assertThat(message.usage().cacheReadInputTokens()).contains(1500L);
        assertThat(message.usage().cacheCreationInputTokens()).contains(0L);
        assertThat(message.model().asString()).isEqualTo("claude");

        JsonNode upstream = received(gw.anthropic);
        assertThat(upstream.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(upstream.get("system").get(0).get("text").asText()).isEqualTo(policy);
        assertThat(upstream.get("system").get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
        assertThat(upstream.get("tools").get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
        assertThat(upstream.get("tools").get(0).get("input_schema").get("properties").has("location")).isTrue();
        assertThat(upstream.get("max_tokens").asInt()).isEqualTo(300);

        // 20 x $3 + 1,500 cache reads x $0.30 + 10 x $15 per 1M tokens
        assertThat(ledger(raw)).singleElement().satisfies(e -> {
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.00066"));
            assertThat(e.usage().cachedInputTokens()).isEqualTo(1500);
        });
    }

    @Test
    void anAnthropicAnswerCutByAStopSequenceSaysWhichPlainAndStreamed() {
        gw.anthropic.enqueue(json("""
                {"id":"msg_01Stop","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"1, 2, 3"}],"stop_reason":"stop_sequence","stop_sequence":"4",
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":6}}"""));
        MessageCreateParams count = MessageCreateParams.builder().model("claude").maxTokens(50)
                .addUserMessage("Count to ten").stopSequences(List.of("4", "7")).build();
        Message message = sdk.messages().create(count);
        assertThat(message.stopReason()).contains(StopReason.STOP_SEQUENCE);
        assertThat(message.stopSequence()).contains("4");
        assertThat(received(gw.anthropic).get("stop_sequences").toString()).isEqualTo("[\"4\",\"7\"]");

        gw.anthropic.enqueue(sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01Stop2","type":"message","role":"assistant",
                         "model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,
                         "usage":{"input_tokens":12,"output_tokens":1}}}""")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"1, 2, 3\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"4\"},\"usage\":{\"output_tokens\":6}}")
                + event("message_stop", "{\"type\":\"message_stop\"}")));
        Message streamed = accumulate(count, null);
        assertThat(streamed.stopReason()).contains(StopReason.STOP_SEQUENCE);
        assertThat(streamed.stopSequence()).contains("4");
        assertThat(streamed.content().getFirst().asText().text()).isEqualTo("1, 2, 3");
    }

    @Test
    void toolUseRoundTripWithAnAnthropicModel() {
        gw.anthropic.enqueue(json(CLAUDE_TOOL_USE));
        MessageCreateParams ask = MessageCreateParams.builder().model("claude").maxTokens(200)
                .addUserMessage("Weather in Paris?").addTool(weatherTool()).build();
        HttpResponseFor<Message> first = sdk.messages().withRawResponse().create(ask);
        Message call = first.parse();
        assertThat(call.content()).hasSize(2);
        assertThat(call.content().get(0).asText().text()).isEqualTo("Let me check.");
        ToolUseBlock use = call.content().get(1).asToolUse();
        assertThat(use.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(input(use)).isEqualTo(Map.of("location", "Paris"));
        assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
        received(gw.anthropic);

        gw.anthropic.enqueue(json(CLAUDE_TEXT));
        HttpResponseFor<Message> second = sdk.messages().withRawResponse().create(ask.toBuilder()
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(use.id()).content("18 C and sunny").build()),
                        ContentBlockParam.ofText("And tomorrow?")))
                .build());
        assertThat(second.parse().content().getFirst().asText().text()).isEqualTo("Paris is sunny.");

        JsonNode messages = received(gw.anthropic).get("messages");
        assertThat(messages).hasSize(3);
        JsonNode assistant = messages.get(1).get("content");
        assertThat(assistant.get(0).get("text").asText()).isEqualTo("Let me check.");
        assertThat(assistant.get(1).get("type").asText()).isEqualTo("tool_use");
        assertThat(assistant.get(1).get("id").asText()).isEqualTo(use.id());
        assertThat(assistant.get(1).get("input").toString()).isEqualTo("{\"location\":\"Paris\"}");
        JsonNode results = messages.get(2).get("content");
        assertThat(results.get(0).get("type").asText()).isEqualTo("tool_result");
        assertThat(results.get(0).get("tool_use_id").asText()).isEqualTo(use.id());
        assertThat(results.get(0).get("content").asText()).isEqualTo("18 C and sunny");
        assertThat(results.get(1).get("text").asText()).isEqualTo("And tomorrow?");

        assertThat(ledger(first)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.0018"))); // 400 x 3 + 40 x 15
        assertThat(ledger(second)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.00066")));
    }

    @Test
    void thinkingComesBackSignedAndGoesBackToAnthropicButNotToOpenAi() {
        gw.anthropic.enqueue(json(CLAUDE_THINKING));
        MessageCreateParams ask = MessageCreateParams.builder().model("claude").maxTokens(8000)
                .enabledThinking(2048).addUserMessage("What is six times seven?").build();
        Message message = sdk.messages().create(ask);
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("Six times seven.");
        assertThat(message.content().get(0).asThinking().signature()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3h");
        assertThat(message.content().get(1).asText().text()).isEqualTo("42");
        JsonNode thinking = received(gw.anthropic).get("thinking");
        assertThat(thinking.get("type").asText()).isEqualTo("enabled");
        assertThat(thinking.get("budget_tokens").asInt()).isEqualTo(1024); // a 2,048 budget is "low" effort

        // The next turn sends the signed block back: Anthropic gets it first in the assistant turn, OpenAI never sees it.
        MessageCreateParams next = ask.toBuilder().addMessage(message).addUserMessage("And seven times eight?").build();
        gw.anthropic.enqueue(json(CLAUDE_TEXT));
        sdk.messages().create(next);
        JsonNode assistant = received(gw.anthropic).get("messages").get(1).get("content");
        assertThat(assistant.get(0).toString())
                .isEqualTo("{\"type\":\"thinking\",\"thinking\":\"Six times seven.\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3h\"}");
        assertThat(assistant.get(1).get("text").asText()).isEqualTo("42");

        gw.openai.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        sdk.messages().create(next.toBuilder().model("gpt-mini").thinking(com.anthropic.models.messages.ThinkingConfigDisabled.builder().build()).build());
        JsonNode toOpenAi = received(gw.openai).get("messages").get(1);
        assertThat(toOpenAi.toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"42\"}");
    }

    @Test
    void anthropicModelStreamsThinkingTextAndToolUse() {
        gw.anthropic.enqueue(sse(
                event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01Strm","type":"message","role":"assistant",
                         "model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,
                         "usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Use the tool.\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("ping", "{\"type\": \"ping\"}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Looking it up.\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"Par\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"is\\\"}\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}")
                + event("message_stop", "{\"type\":\"message_stop\"}")));
        List<String> types = new ArrayList<>();
        HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw = sdk.messages().withRawResponse().createStreaming(
                MessageCreateParams.builder().model("claude").maxTokens(4000).enabledThinking(1024)
                        .addUserMessage("Weather in Paris?").addTool(weatherTool()).build());
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = raw.parse()) {
            stream.stream().forEach(e -> {
                acc.accumulate(e);
                types.add(eventType(e));
            });
        }
        Message message = acc.message();
        assertThat(types).containsExactly("message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(message.content()).hasSize(3);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("Use the tool.");
        assertThat(message.content().get(0).asThinking().signature()).isEqualTo("EqQBCgIYAhIM");
        assertThat(message.content().get(1).asText().text()).isEqualTo("Looking it up.");
        assertThat(input(message.content().get(2).asToolUse())).isEqualTo(Map.of("location", "Paris"));
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().inputTokens()).isEqualTo(25);
        assertThat(message.usage().outputTokens()).isEqualTo(89);
        // 25 x $3 + 89 x $15 per 1M tokens
        assertThat(ledger(raw)).singleElement().satisfies(e -> {
            assertThat(e.cost()).isEqualTo(Money.ofUsd("0.00141"));
            assertThat(e.stream()).isTrue();
        });
    }

    @Test
    void geminiModelAnswersPlainAndStreamed() {
        gw.gemini.enqueue(json(GEMINI_TEXT));
        HttpResponseFor<Message> raw = sdk.messages().withRawResponse().create(MessageCreateParams.builder()
                .model("flash").maxTokens(100).system("Answer in French.").addUserMessage("Say hello").build());
        Message message = raw.parse();
        assertThat(message.content().getFirst().asText().text()).isEqualTo("Bonjour!");
        assertThat(message.usage().inputTokens()).isEqualTo(12);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
        JsonNode upstream = received(gw.gemini);
        assertThat(upstream.get("systemInstruction").get("parts").get(0).get("text").asText()).isEqualTo("Answer in French.");
        assertThat(upstream.get("generationConfig").get("maxOutputTokens").asInt()).isEqualTo(100);
        assertThat(ledger(raw)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.0000032")));

        gw.gemini.enqueue(sse(MessagesUpstreams.geminiEvents(List.of("""
                {"candidates":[{"content":{"parts":[{"text":"Bon"}],"role":"model"},"index":0}],
                 "usageMetadata":{"promptTokenCount":12,"totalTokenCount":12},"modelVersion":"gemini-2.0-flash"}""", """
                {"candidates":[{"content":{"parts":[{"text":"jour!"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17},"modelVersion":"gemini-2.0-flash"}"""))));
        Message streamed = accumulate(MessageCreateParams.builder().model("flash").maxTokens(100).addUserMessage("Say hello").build(), null);
        assertThat(streamed.content().getFirst().asText().text()).isEqualTo("Bonjour!");
        assertThat(streamed.usage().inputTokens()).isEqualTo(12);
        assertThat(streamed.usage().outputTokens()).isEqualTo(5);
        assertThat(streamed.stopReason()).contains(StopReason.END_TURN);
    }

    @Test
    void toolUseRoundTripWithAGeminiModel() {
        gw.gemini.enqueue(json(GEMINI_TOOL_CALL));
        MessageCreateParams ask = MessageCreateParams.builder().model("flash").maxTokens(200)
                .addUserMessage("Weather in Paris?").addTool(weatherTool()).build();
        HttpResponseFor<Message> first = sdk.messages().withRawResponse().create(ask);
        Message call = first.parse();
        ToolUseBlock use = call.content().getFirst().asToolUse();
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(input(use)).isEqualTo(Map.of("location", "Paris"));
        assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(received(gw.gemini).get("tools").get(0).get("functionDeclarations").get(0).get("name").asText()).isEqualTo("get_weather");

        gw.gemini.enqueue(json(GEMINI_TEXT));
        HttpResponseFor<Message> second = sdk.messages().withRawResponse().create(ask.toBuilder()
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(use.id()).content("18 C and sunny").build())))
                .build());
        assertThat(second.parse().content().getFirst().asText().text()).isEqualTo("Bonjour!");
        JsonNode contents = received(gw.gemini).get("contents");
        assertThat(contents.toString()).contains("\"functionCall\"").contains("\"functionResponse\"").contains("18 C and sunny");
        assertThat(ledger(first)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.0000072"))); // 40 x 0.1 + 8 x 0.4
        assertThat(ledger(second)).singleElement().satisfies(e -> assertThat(e.cost()).isEqualTo(Money.ofUsd("0.0000032")));
    }

    @Test
    void geminiStreamsParallelToolCallsAsTwoToolUseBlocks() {
        gw.gemini.enqueue(sse(MessagesUpstreams.geminiEvents(List.of("""
                {"candidates": [{"content": {"parts": [
                    {"functionCall": {"name": "get_weather","args": {"location": "Paris"}}},
                    {"functionCall": {"name": "get_weather","args": {"location": "Rome"}}}],"role": "model"},
                  "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 10,"totalTokenCount": 40},
                 "modelVersion": "gemini-2.0-flash","responseId": "f1"}"""))));
        Message message = accumulate(MessageCreateParams.builder().model("flash").maxTokens(100)
                .addUserMessage("Weather in Paris and Rome?").addTool(weatherTool()).build(), null);
        assertThat(message.content()).hasSize(2);
        assertThat(message.content()).allSatisfy(b -> assertThat(b.asToolUse().name()).isEqualTo("get_weather"));
        assertThat(input(message.content().get(0).asToolUse())).isEqualTo(Map.of("location", "Paris"));
        assertThat(input(message.content().get(1).asToolUse())).isEqualTo(Map.of("location", "Rome"));
        assertThat(message.content().get(0).asToolUse().id()).isNotEqualTo(message.content().get(1).asToolUse().id());
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.usage().outputTokens()).isEqualTo(10);
    }

    @Test
    void countTokensUsesTheGatewaysTokenizer() {
        var count = sdk.messages().countTokens(MessageCountTokensParams.builder().model("claude")
                .system("You are terse.").addUserMessage("How many tokens is this?").build());
        TokenEstimator tokens = new TokenEstimator();
        ArrayNode chat = MessagesUpstreams.JSON.createArrayNode();
        chat.addObject().put("role", "system").put("content", "You are terse.");
        chat.addObject().put("role", "user").put("content", "How many tokens is this?");
        assertThat(count.inputTokens()).isEqualTo(tokens.countMessages(chat)).isGreaterThan(10);
        assertThat(gw.anthropic.getRequestCount()).isZero();

        assertThatThrownBy(() -> sdk.messages().countTokens(MessageCountTokensParams.builder().model("no-such-model")
                .addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
    }

    @Test
    void aWrongKeyIsAnAuthenticationError() {
        AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey("not-a-key-of-this-gateway")
                .maxRetries(0).build();
        try {
            assertThatThrownBy(() -> stranger.messages().create(MessageCreateParams.builder().model("gpt-mini").maxTokens(10)
                    .addUserMessage("hi").build()))
                    .isInstanceOf(UnauthorizedException.class)
                    .satisfies(e -> assertThat(((UnauthorizedException) e).statusCode()).isEqualTo(401))
                    .hasMessageContaining("Invalid API key");
        } finally {
            stranger.close();
        }
        assertThat(gw.openai.getRequestCount()).isZero();
    }

    private Message accumulate(MessageCreateParams params, List<String> expectedTypes) {
        MessageAccumulator acc = MessageAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
            stream.stream().forEach(e -> {
                acc.accumulate(e);
                types.add(eventType(e));
            });
        }
        if (expectedTypes != null) {
            assertThat(types).containsExactlyElementsOf(expectedTypes);
        }
        return acc.message();
    }

    private static String eventType(RawMessageStreamEvent e) {
        if (e.isMessageStart()) {
            return "message_start";
        } else if (e.isContentBlockStart()) {
            return "content_block_start";
        } else if (e.isContentBlockDelta()) {
            return "content_block_delta";
        } else if (e.isContentBlockStop()) {
            return "content_block_stop";
        } else if (e.isMessageDelta()) {
            return "message_delta";
        } else if (e.isMessageStop()) {
            return "message_stop";
        }
        return "other";
    }
}
