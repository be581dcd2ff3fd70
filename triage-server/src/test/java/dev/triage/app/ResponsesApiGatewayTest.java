package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseFunctionToolCallItem;
import com.openai.models.responses.ResponseFunctionToolCallOutputItem;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputMessageItem;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.WebSearchTool;
import com.openai.models.responses.inputitems.InputItemListParams;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/responses} through the official OpenAI Java SDK, with an OpenAI-compatible chat upstream behind the
 * gateway: what the SDK gets back, and the Chat Completions request the upstream sees.
 */
class ResponsesApiGatewayTest {

    private static final FunctionTool WEATHER = FunctionTool.builder()
            .name("get_weather")
            .description("Current weather for a city")
            .parameters(FunctionTool.Parameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("location")))
                    .build())
            .strict(false)
            .build();

    private final GatewayHarness gw = new GatewayHarness();
    private final OpenAIClient sdk = OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + gw.app.port() + "/v1")
            .apiKey("unused-by-an-open-gateway")
            .maxRetries(0)
            .build();

    @AfterEach
    void stop() {
        sdk.close();
        gw.close();
    }

    private JsonNode upstreamRequest() throws InterruptedException {
        RecordedRequest upstream = gw.primary.takeRequest();
        assertThat(upstream.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        return json(upstream.getBody().utf8());
    }

    private static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
                .map(t -> t.text()).reduce("", String::concat);
    }

    @Test
    void plainRequestWithInstructionsBecomesASystemAndAUserMessage() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        Response response = sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").instructions("Be terse.").input("Say hello").temperature(0.2).maxOutputTokens(64L).build());

        response.validate(); // every required field, as the SDK's types define them
        assertThat(response.id()).matches("resp_[a-z2-7]{24}");
        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.model().asString()).isEqualTo("fast");
        assertThat(text(response)).isEqualTo("Hello there!");
        ResponseOutputItem item = response.output().getFirst();
        assertThat(item.message().orElseThrow().id()).startsWith("msg_");
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("Be terse.");
        assertThat(response.temperature()).hasValue(0.2);
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(19);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(4);
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(23);
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isZero();

        JsonNode sent = upstreamRequest();
        assertThat(sent.get("messages")).isEqualTo(json("""
                [{"role":"system","content":"Be terse."},{"role":"user","content":[{"type":"text","text":"Say hello"}]}]"""));
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(64);
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void messageItemsWithTextAndImagesBecomeChatContentParts() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> response = gw.post("/v1/responses", """
                {"model":"fast","input":[
                  {"role":"developer","content":"Answer in French."},
                  {"type":"message","role":"user","content":[
                    {"type":"input_text","text":"What is this?"},
                    {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}]},
                  {"type":"message","role":"assistant","id":"msg_old","status":"completed",
                   "content":[{"type":"output_text","text":"Un logo.","annotations":[]}]},
                  {"role":"user","content":"Merci"}]}""");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstreamRequest().get("messages")).isEqualTo(json("""
                [{"role":"developer","content":"Answer in French."},
                 {"role":"user","content":[{"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},
                 {"role":"assistant","content":"Un logo."},
                 {"role":"user","content":"Merci"}]"""));
    }

    @Test
    void routedLikeAChatCompletionWithHeadersAndLedgerRows() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> response = gw.post("/v1/responses", """
                {"model":"fast","input":"Say hello","store":false}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-triage-model")).hasValue("fast");
        assertThat(response.headers().firstValue("x-triage-attempts")).hasValue("fast");
        // 19 input tokens at $1/M and 4 output tokens at $2/M
        assertThat(response.headers().firstValue("x-triage-cost-usd")).hasValue("0.000027");
        List<LedgerEntry> rows = gw.ledgerOf(response);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.model()).isEqualTo("fast");
            assertThat(row.usage().inputTokens()).isEqualTo(19);
        });
        JsonNode body = json(response.body());
        assertThat(body.get("object").asText()).isEqualTo("response");
        assertThat(body.get("store").asBoolean()).isFalse();
        assertThat(body.get("id").asText()).isEqualTo("resp_" + response.headers().firstValue("x-triage-request-id")
                .orElseThrow().substring(4));
    }

    @Test
    void streamedTextFollowsTheDocumentedEventSequence() throws Exception {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ResponseCreateParams.builder()
                .model("fast").input("Say hello").build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate); // every required field of every event, as the SDK's types define them
        List<String> types = events.stream().map(e -> wire(e).get("type").asText()).toList();
        assertThat(types).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta()).toList())
                .containsExactly("Hello", " there!");
        assertThat(events.stream().map(ResponsesApiGatewayTest::sequence).toList())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(events.get(6).outputTextDone().orElseThrow().text()).isEqualTo("Hello there!");
        Response done = events.getLast().completed().orElseThrow().response();
        assertThat(done.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(text(done)).isEqualTo("Hello there!");
        assertThat(done.usage().orElseThrow().totalTokens()).isEqualTo(23);
        assertThat(upstreamRequest().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    private static long sequence(ResponseStreamEvent e) {
        return wire(e).get("sequence_number").asLong();
    }

    /** The event as it came over the wire. */
    private static JsonNode wire(ResponseStreamEvent e) {
        return com.openai.core.ObjectMappers.jsonMapper().valueToTree(e);
    }

    @Test
    void failureAfterTheFirstByteEndsTheStreamWithResponseFailedAndIsInTheLedger() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM.subList(0, 2)).build()); // cut after "Hello"
        HttpResponse<String> r = gw.post("/v1/responses", "{\"model\":\"fast\",\"input\":\"Say hello\",\"stream\":true}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        String[] events = r.body().split("\n\n");
        assertThat(events[0]).startsWith("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,");
        String last = events[events.length - 1];
        assertThat(last).startsWith("event: response.failed\ndata: ");
        JsonNode failed = json(last.substring(last.indexOf("data: ") + 6));
        assertThat(failed.at("/response/status").asText()).isEqualTo("failed");
        assertThat(failed.at("/response/error/code").asText()).isEqualTo("upstream_connection_error");
        assertThat(r.body()).doesNotContain("[DONE]").contains("\"delta\":\"Hello\"");
        assertThat(gw.backup.getRequestCount()).isZero();
        LedgerEntry row = gw.ledgerOf(r).getFirst();
        assertThat(row.cost().picos()).isPositive();
    }

    @Test
    void streamedToolCallArrivesAsArgumentDeltas() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TOOL_STREAM).build());
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ResponseCreateParams.builder()
                .model("fast").input("Weather in Paris?").addTool(WEATHER).build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate); // every required field of every event, as the SDK's types define them
        List<String> types = events.stream().map(e -> wire(e).get("type").asText()).toList();
        assertThat(types).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed");
        assertThat(events.get(8).functionCallArgumentsDone().orElseThrow().arguments()).isEqualTo("{\"location\":\"Paris\"}");
        ResponseFunctionToolCall call = events.getLast().completed().orElseThrow().response().output().getFirst()
                .functionCall().orElseThrow();
        assertThat(call.callId()).isEqualTo("call_Zq3mA8kXbL1vT9nR2cE5wYhJ");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"location\":\"Paris\"}");
        assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));
    }

    @Test
    void textAfterAToolCallInOneStreamIsTheNextOutputItem() {
        // a call, then text (as a translated Anthropic stream can send: a tool_use block, then a text block)
        List<String> chunks = new ArrayList<>(OpenAiWire.TOOL_STREAM.subList(0, 6));
        chunks.add(OpenAiWire.chunk("[{\"index\":0,\"delta\":{\"content\":\"Checking the \"},\"logprobs\":null,\"finish_reason\":null}]", "null"));
        chunks.add(OpenAiWire.chunk("[{\"index\":0,\"delta\":{\"content\":\"weather.\"},\"logprobs\":null,\"finish_reason\":null}]", "null"));
        chunks.addAll(OpenAiWire.TOOL_STREAM.subList(6, OpenAiWire.TOOL_STREAM.size()));
        gw.primary.enqueue(OpenAiWire.sse(chunks).build());
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(ResponseCreateParams.builder()
                .model("fast").input("Weather in Paris?").addTool(WEATHER).build())) {
            stream.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate);
        JsonNode output = wire(events.getLast()).path("response").path("output");
        assertThat(output).extracting(i -> i.get("type").asText()).containsExactly("function_call", "message");
        assertThat(output.get(1).at("/content/0/text").asText()).isEqualTo("Checking the weather.");
        // every event's output_index names the item it is about, where the response puts it
        for (ResponseStreamEvent e : events) {
            JsonNode w = wire(e);
            if (w.has("output_index")) {
                JsonNode item = output.get(w.get("output_index").asInt());
                String about = w.has("item") ? w.get("item").get("id").asText() : w.get("item_id").asText();
                assertThat(about).as(w.toString()).isEqualTo(item.get("id").asText());
            }
        }
        assertThat(output.get(0).get("id").asText()).isNotEqualTo(output.get(1).get("id").asText());
    }

    @Test
    void toolCallThenItsOutputContinueTheConversation() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TOOL_CALL));
        Response first = sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").input("Weather in Paris?").addTool(WEATHER).build());
        first.validate();
        ResponseFunctionToolCall call = first.output().getFirst().functionCall().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"location\":\"Paris\"}");
        JsonNode sentFirst = upstreamRequest();
        assertThat(sentFirst.get("tools")).isEqualTo(json("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
                  "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]},"strict":false}}]"""));

        // The agent loop as SDK samples write it: the call and its output sent back in full, no stored state.
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        Response second = sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").store(false).addTool(WEATHER)
                .inputOfResponse(List.of(
                        ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                                .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("Weather in Paris?").build()),
                        ResponseInputItem.ofFunctionCall(call),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                .callId(call.callId()).output("{\"temp_c\":21}").build())))
                .build());
        assertThat(text(second)).isEqualTo("Hello there!");
        assertThat(upstreamRequest().get("messages")).isEqualTo(json("""
                [{"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_Zq3mA8kXbL1vT9nR2cE5wYhJ","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_Zq3mA8kXbL1vT9nR2cE5wYhJ","content":"{\\"temp_c\\":21}"}]"""));
    }

    /** A question that gets a tool call, then the tool's output sent with previous_response_id. */
    private record ToolTurn(Response first, ResponseFunctionToolCall call, Response second) {
    }

    private ToolTurn toolTurn() throws InterruptedException {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TOOL_CALL));
        Response first = sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").instructions("Use tools.").input("Weather in Paris?").addTool(WEATHER).build());
        upstreamRequest();
        ResponseFunctionToolCall call = first.output().getFirst().functionCall().orElseThrow();
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        Response second = sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").previousResponseId(first.id()).addTool(WEATHER)
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId()).output("21 C").build())))
                .build());
        return new ToolTurn(first, call, second);
    }

    @Test
    void previousResponseIdPrependsTheStoredConversation() throws Exception {
        ToolTurn turn = toolTurn();
        Response first = turn.first();
        Response second = turn.second();
        assertThat(second.previousResponseId()).hasValue(first.id());
        // The first request's instructions are not carried over (as at OpenAI); its input and output are.
        assertThat(upstreamRequest().get("messages")).isEqualTo(json("""
                [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_Zq3mA8kXbL1vT9nR2cE5wYhJ","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_Zq3mA8kXbL1vT9nR2cE5wYhJ","content":"21 C"}]"""));

        Response fetched = sdk.responses().retrieve(second.id());
        fetched.validate();
        assertThat(text(fetched)).isEqualTo("Hello there!");
        assertThat(fetched.id()).isEqualTo(second.id());
        sdk.responses().delete(second.id());
        assertThatThrownBy(() -> sdk.responses().retrieve(second.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theInputItemsOfAStoredResponseAreListedAPageAtATime() throws Exception {
        ToolTurn turn = toolTurn();
        Response first = turn.first();
        ResponseFunctionToolCall call = turn.call();
        Response second = turn.second();

        // newest first by default: this response's own input, then the conversation it continued
        List<ResponseItem> items = sdk.responses().inputItems().list(second.id()).data();
        items.forEach(ResponseItem::validate);
        assertThat(items).hasSize(3);
        assertThat(items.get(0).functionCallOutput().orElseThrow().output().string()).hasValue("21 C");
        assertThat(items.get(1).functionCall().orElseThrow().id()).isEqualTo(call.id());
        ResponseInputMessageItem question = items.get(2).responseInputMessageItem().orElseThrow();
        assertThat(question.role()).isEqualTo(ResponseInputMessageItem.Role.USER);
        assertThat(question.content().getFirst().inputText().orElseThrow().text()).isEqualTo("Weather in Paris?");
        // an item sent without an id has the same one in every response of the conversation
        List<ResponseItem> ofFirst = sdk.responses().inputItems().list(first.id()).data();
        assertThat(ofFirst).singleElement().satisfies(i -> assertThat(i.responseInputMessageItem().orElseThrow().id()).isEqualTo(question.id()));

        // one at a time, oldest first, following the SDK's own cursor
        List<String> walked = new ArrayList<>();
        sdk.responses().inputItems().list(second.id(), InputItemListParams.builder().limit(1).order(InputItemListParams.Order.ASC).build())
                .autoPager().forEach(i -> walked.add(id(i)));
        assertThat(walked).containsExactly(id(items.get(2)), id(items.get(1)), id(items.get(0)));

        JsonNode page = json(gw.get("/v1/responses/" + second.id() + "/input_items?limit=2").body());
        assertThat(page.path("object").asText()).isEqualTo("list");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.path("first_id").asText()).isEqualTo(id(items.get(0)));
        assertThat(page.path("last_id").asText()).isEqualTo(id(items.get(1)));
        for (String bad : List.of("limit=0", "limit=101", "limit=many", "order=sideways", "after=in_nothing", "limit=1&limit=2")) {
            HttpResponse<String> r = gw.get("/v1/responses/" + second.id() + "/input_items?" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r.body()).path("error").path("param").asText()).as(bad).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
        HttpResponse<String> unknown = gw.get("/v1/responses/resp_aaaaaaaaaaaaaaaaaaaaaaaa/input_items");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("error").path("code").asText()).isEqualTo("response_not_found");
        assertThat(gw.primary.getRequestCount()).isEqualTo(2);
    }

    private static String id(ResponseItem item) {
        return item.responseInputMessageItem().map(ResponseInputMessageItem::id)
                .or(() -> item.functionCall().flatMap(ResponseFunctionToolCallItem::id))
                .or(() -> item.functionCallOutput().map(ResponseFunctionToolCallOutputItem::id))
                .orElseThrow();
    }

    @Test
    void itemReferencesToStoredOutputItemsAreResolved() throws Exception {
        // As the Vercel AI SDK sends a conversation with store on: earlier output items by id, the rest in full.
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        Response greeting = sdk.responses().create(ResponseCreateParams.builder().model("fast").input("Say hello").build());
        upstreamRequest();
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TOOL_CALL));
        Response called = sdk.responses().create(ResponseCreateParams.builder().model("fast").input("Weather in Paris?").addTool(WEATHER).build());
        upstreamRequest();
        String messageId = greeting.output().getFirst().message().orElseThrow().id();
        ResponseFunctionToolCall call = called.output().getFirst().functionCall().orElseThrow();

        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/responses", """
                {"model":"fast","store":false,"input":[
                  {"role":"user","content":"Say hello"},
                  {"type":"item_reference","id":"%s"},
                  {"role":"user","content":"Weather in Paris?"},
                  {"type":"item_reference","id":"%s"},
                  {"type":"function_call_output","call_id":"%s","output":"21 C"}]}"""
                .formatted(messageId, call.id().orElseThrow(), call.callId()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstreamRequest().get("messages")).isEqualTo(json("""
                [{"role":"user","content":"Say hello"},
                 {"role":"assistant","content":"Hello there!"},
                 {"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_Zq3mA8kXbL1vT9nR2cE5wYhJ","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_Zq3mA8kXbL1vT9nR2cE5wYhJ","content":"21 C"}]"""));

        HttpResponse<String> unknown = gw.post("/v1/responses", """
                {"model":"fast","input":[{"type":"item_reference","id":"msg_aaaaaaaaaaaaaaaaaaaaaaaa"}]}""");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).path("error").path("code").asText()).isEqualTo("item_not_found");
        assertThat(json(unknown.body()).path("error").path("param").asText()).isEqualTo("input[0].id");
        assertThat(gw.primary.getRequestCount()).isEqualTo(3);
    }

    @Test
    void unstoredResponsesCannotBeContinued() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        Response first = sdk.responses().create(ResponseCreateParams.builder().model("fast").input("Say hello").store(false).build());
        assertThatThrownBy(() -> sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").input("Again").previousResponseId(first.id()).build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining(first.id());
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
    }

    @Test
    void jsonSchemaTextFormatBecomesResponseFormat() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT.replace("Hello there!", "{\\\"city\\\":\\\"Paris\\\"}")));
        Response response = sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").input("Where is the Louvre?")
                .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder()
                        .name("place").strict(true)
                        .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build()).build())
                .build());
        assertThat(text(response)).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(upstreamRequest().get("response_format")).isEqualTo(json("""
                {"type":"json_schema","json_schema":{"name":"place","schema":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}"""));
        assertThat(response.text().orElseThrow().format().orElseThrow().isJsonSchema()).isTrue();
    }

    @Test
    void truncatedAnswerIsIncompleteWithTheReason() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT.replace("\"stop\"", "\"length\"")));
        Response response = sdk.responses().create(ResponseCreateParams.builder().model("fast").input("Say hello").build());
        assertThat(response.status()).hasValue(ResponseStatus.INCOMPLETE);
        assertThat(response.incompleteDetails().orElseThrow().reason()).hasValue(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS);
    }

    @Test
    void builtInToolsAreRefusedBeforeAnyUpstreamCall() {
        assertThatThrownBy(() -> sdk.responses().create(ResponseCreateParams.builder()
                .model("fast").input("News today?").addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("built-in tool 'web_search' is not supported");
        assertThat(gw.primary.getRequestCount()).isZero();
    }

    @Test
    void badInputIsRefusedInOpenAiShapeNamingTheResponsesField() {
        HttpResponse<String> missing = gw.post("/v1/responses", "{\"model\":\"fast\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing.body()).path("error").path("param").asText()).isEqualTo("input");

        HttpResponse<String> badItem = gw.post("/v1/responses", """
                {"model":"fast","input":[{"type":"computer_call_output","call_id":"c1","output":{}}]}""");
        assertThat(badItem.statusCode()).isEqualTo(400);
        assertThat(json(badItem.body()).path("error").path("param").asText()).isEqualTo("input[0].type");

        HttpResponse<String> unknown = gw.post("/v1/responses", """
                {"model":"fast","input":"hi","messages":[]}""");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown.body()).path("error").path("message").asText()).isEqualTo("Unknown parameter: 'messages'.");

        HttpResponse<String> badName = gw.post("/v1/responses", """
                {"model":"fast","input":"hi","tools":[{"type":"function","name":"get weather"}]}""");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(json(badName.body()).path("error").path("param").asText()).isEqualTo("tools[0].name");

        HttpResponse<String> systemImage = gw.post("/v1/responses", """
                {"model":"fast","input":[{"role":"system","content":[{"type":"input_image","image_url":"https://example.com/a.png"}]}]}""");
        assertThat(systemImage.statusCode()).isEqualTo(400);
        assertThat(json(systemImage.body()).path("error").path("param").asText()).isEqualTo("input[0].content[0]");

        HttpResponse<String> background = gw.post("/v1/responses", """
                {"model":"fast","input":"hi","background":true}""");
        assertThat(background.statusCode()).isEqualTo(400);
        assertThat(json(background.body()).path("error").path("code").asText()).isEqualTo("unsupported_parameter");
        assertThat(gw.primary.getRequestCount()).isZero();
    }
}
