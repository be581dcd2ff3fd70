package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.triage.config.ConfigLoader;
import dev.triage.testing.LocalServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/responses} through the official OpenAI Java SDK to a model on Anthropic's Messages API: the request
 * reaches Anthropic in its own format (system, tools with input_schema) and its answers come back as Responses.
 */
class ResponsesAnthropicGatewayTest {

    private static final FunctionTool WEATHER = FunctionTool.builder()
            .name("get_weather")
            .parameters(FunctionTool.Parameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                    .build())
            .strict(false)
            .build();

    private final MockWebServer anthropic = LocalServers.mockWebServer();
    private final TriageApp app;
    private final OpenAIClient sdk;

    ResponsesAnthropicGatewayTest() throws Exception {
        anthropic.start();
        Path dir = Files.createTempDirectory("triage-responses-anthropic");
        String yaml = GatewayYaml.server() + GatewayYaml.sqliteStorage(dir) + """
                providers:
                  claude: {kind: anthropic, base_url: "%s", api_key: sk-ant-test-0123456789abcdef}
                models:
                  sonnet: {provider: claude, upstream_model: claude-sonnet-4-5-20250929, input_per_mtok: 3, output_per_mtok: 15}
                """.formatted(anthropic.url("/").toString());
        app = TriageApp.start(ConfigLoader.parse(yaml, "anthropic.yaml", Map.of()), null, Clock.systemUTC(), null);
        sdk = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + app.port() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        app.close();
        anthropic.close();
    }

    private JsonNode upstreamRequest() throws InterruptedException {
        RecordedRequest request = anthropic.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/messages");
        return json(request.getBody().utf8());
    }

    @Test
    void toolCallFromClaudeIsAFunctionCallItem() throws Exception {
        anthropic.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "application/json").body("""
                {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Let me check."},
                            {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":412,"output_tokens":58,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""").build());

        Response response = sdk.responses().create(ResponseCreateParams.builder()
                .model("sonnet").instructions("Be terse.").input("Weather in Paris?").addTool(WEATHER).build());

        response.validate();
        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.model().asString()).isEqualTo("sonnet");
        assertThat(response.output()).hasSize(2);
        assertThat(response.output().get(0).message().orElseThrow().content().getFirst().outputText().orElseThrow().text())
                .isEqualTo("Let me check.");
        ResponseFunctionToolCall call = response.output().get(1).functionCall().orElseThrow();
        assertThat(call.callId()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(json(call.arguments())).isEqualTo(json("{\"location\":\"Paris\"}"));
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(412);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(58);

        JsonNode sent = upstreamRequest();
        assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(sent.get("system").toString()).contains("Be terse.");
        assertThat(sent.get("messages")).isEqualTo(json("""
                [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}]"""));
        assertThat(sent.get("tools").get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(sent.get("tools").get(0).get("input_schema")).isEqualTo(json("""
                {"type":"object","properties":{"location":{"type":"string"}}}"""));
    }

    @Test
    void streamedTextThenToolUseCloseTheMessageBeforeTheCall() throws Exception {
        anthropic.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "text/event-stream; charset=utf-8")
                .body(event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01HCEpkPWgyvYBDNqfwKDtQf","type":"message","role":"assistant",\
                        "model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,\
                        "usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""")
                        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}")
                        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                        + event("content_block_start", """
                        {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}""")
                        + event("content_block_delta", """
                        {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}""")
                        + event("content_block_delta", """
                        {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"Paris\\"}"}}""")
                        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                        + event("message_delta", """
                        {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}}""")
                        + event("message_stop", "{\"type\":\"message_stop\"}"))
                .build());

        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ResponseCreateParams.builder()
                .model("sonnet").input("Weather in Paris?").addTool(WEATHER).build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate); // every required field of every event, as the SDK's types define them
        List<String> types = events.stream().map(e -> wire(e).get("type").asText()).toList();
        assertThat(types).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        assertThat(events.stream().map(e -> wire(e).get("output_index")).filter(n -> n != null).map(JsonNode::asInt).toList())
                .containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
        Response done = events.getLast().completed().orElseThrow().response();
        assertThat(done.output().get(1).functionCall().orElseThrow().arguments()).isEqualTo("{\"location\": \"Paris\"}");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(25);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(40);
        assertThat(upstreamRequest().get("stream").asBoolean()).isTrue();
    }

    @Test
    void claudesThinkingIsAReasoningItemBeforeTheMessage() throws Exception {
        anthropic.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "application/json").body("""
                {"id":"msg_01Bq9w938a90dw8r","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"thinking","thinking":"Two plus two.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
                            {"type":"text","text":"4"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":20,"output_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""").build());

        Response response = sdk.responses().create(ResponseCreateParams.builder().model("sonnet").input("2+2?")
                .reasoning(com.openai.models.Reasoning.builder().effort(com.openai.models.ReasoningEffort.LOW).build()).build());

        response.validate();
        assertThat(response.output()).hasSize(2);
        assertThat(response.output().get(0).reasoning().orElseThrow().summary().getFirst().text()).isEqualTo("Two plus two.");
        assertThat(response.output().get(1).message().orElseThrow().content().getFirst().outputText().orElseThrow().text()).isEqualTo("4");
        assertThat(upstreamRequest().path("thinking").path("type").asText()).isEqualTo("enabled");
    }

    @Test
    void streamedThinkingIsAReasoningSummaryThenTheText() throws Exception {
        anthropic.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "text/event-stream; charset=utf-8")
                .body(event("message_start", """
                        {"type":"message_start","message":{"id":"msg_01HCEpkPWgyvYBDNqfwKDtQg","type":"message","role":"assistant",\
                        "model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,\
                        "usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""")
                        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}")
                        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Two plus two.\"}}")
                        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA\"}}")
                        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"4\"}}")
                        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                        + event("message_delta", """
                        {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":30}}""")
                        + event("message_stop", "{\"type\":\"message_stop\"}"))
                .build());

        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ResponseCreateParams.builder()
                .model("sonnet").input("2+2?").build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate);
        assertThat(events.stream().map(e -> wire(e).get("type").asText()).toList()).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.output_item.done", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
        Response done = events.getLast().completed().orElseThrow().response();
        assertThat(done.output().get(0).reasoning().orElseThrow().summary().getFirst().text()).isEqualTo("Two plus two.");
        assertThat(done.output().get(1).message().orElseThrow().content().getFirst().outputText().orElseThrow().text()).isEqualTo("4");
        upstreamRequest();
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static JsonNode wire(ResponseStreamEvent e) {
        return ObjectMappers.jsonMapper().valueToTree(e);
    }
}
