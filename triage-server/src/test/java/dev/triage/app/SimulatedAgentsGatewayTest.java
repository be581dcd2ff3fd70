package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import dev.triage.catalog.Price;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.config.ConfigLoader;
import dev.triage.config.StorageConfig;
import dev.triage.config.TriageConfig;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.simulated.SimulatedProvider;
import dev.triage.testing.JsonSchemas;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline demo (the built-in config served by simulated providers) through the official OpenAI Java SDK, as an
 * agent or a structured-output client uses it: a required tool call whose arguments fit the tool's schema, the
 * follow-up turn answered in text, a strict {@code json_schema} answer parsed into the schema's class, {@code n}
 * choices and logprobs, streamed tool calls; each billed in the ledger at the catalog price times its usage.
 */
class SimulatedAgentsGatewayTest {

    @JsonClassDescription("Get the current weather in a city")
    public static class GetWeather {
        @JsonPropertyDescription("The city, e.g. Paris")
        public String location;
        public Unit unit;
        @JsonPropertyDescription("How many days of forecast")
        public int days;
    }

    public enum Unit { CELSIUS, FAHRENHEIT }

    @JsonClassDescription("A person mentioned in the text")
    public static class Person {
        public String name;
        public int age;
        public List<String> skills;
        public Address address;
        public Role role;
    }

    public static class Address {
        public String city;
        public String country;
    }

    public enum Role { ENGINEER, SCIENTIST, ARTIST }

    private static final String FLIGHTS_PARAMETERS = """
            {"type":"object","properties":{"from":{"type":"string","pattern":"^[A-Z]{3}$"},"to":{"type":"string","pattern":"^[A-Z]{3}$"},
             "date":{"type":"string","format":"date"},"passengers":{"type":"integer","minimum":1,"maximum":9},
             "cabin":{"type":"string","enum":["economy","business"]}},
             "required":["from","to","date","passengers","cabin"],"additionalProperties":false}""";

    private static TriageApp app;
    private static TriageConfig config;
    private static OpenAIClient sdk;

    @BeforeAll
    static void start(@TempDir Path dir) {
        TriageConfig demo = ConfigLoader.builtInSimulated(SimulatedProvider.Settings.fast());
        config = new TriageConfig(demo.server().withPort(0), new StorageConfig("sqlite:" + dir.resolve("ledger.db"), null, null),
                demo.providers(), demo.models(), demo.resilience(), demo.routes(), demo.alerts(), demo.promptCache(), demo.contexts(),
                demo.responseCache());
        app = TriageApp.start(config);
        sdk = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + app.port() + "/v1").apiKey("offline-demo").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        app.close();
    }

    @Test
    void anAgentGetsARequiredToolCallWithValidArgumentsThenAnAnswerToTheToolsResult() {
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder()
                .model("gpt-4.1")
                .addSystemMessage("You are a travel assistant.")
                .addUserMessage("What's the weather in Paris this week?")
                .addTool(GetWeather.class)
                .addFunctionTool(flights())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .build();

        HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(ask);
        ChatCompletion first = raw.parse();

        ChatCompletion.Choice choice = first.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(call.function().name()).isEqualTo("GetWeather");
        JsonNode sentSchema = ObjectMappers.jsonMapper().valueToTree(ask.tools().orElseThrow().getFirst()).at("/function/parameters");
        assertThat(JsonSchemas.violations(sentSchema, GatewayHarness.json(call.function().arguments()))).isEmpty();
        GetWeather args = call.function().arguments(GetWeather.class);
        assertThat(args.location).isEqualTo("Paris");
        assertThat(args.unit).isNotNull();
        assertBilledAtTheCatalogPrice(raw, "gpt-4.1", first.usage().orElseThrow());

        ChatCompletion second = sdk.chat().completions().create(ask.toBuilder()
                .toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO)
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"temperature\": 21}").build())
                .build());

        assertThat(second.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(second.choices().getFirst().message().content()).hasValueSatisfying(text -> assertThat(text).isNotBlank());
        assertThat(second.choices().getFirst().message().toolCalls()).isEmpty();
    }

    @Test
    void aNamedFunctionThroughTheDemosAutoRouteGetsArgumentsValidAgainstItsSchema() {
        ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("auto")
                .addUserMessage("Book two seats to Oslo next Friday")
                .addTool(GetWeather.class)
                .addFunctionTool(flights())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("search_flights").build()).build())
                .build());

        ChatCompletionMessageFunctionToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("search_flights");
        assertThat(JsonSchemas.violations(GatewayHarness.json(FLIGHTS_PARAMETERS), GatewayHarness.json(call.function().arguments()))).isEmpty();
    }

    @Test
    void aStrictJsonSchemaAnswerIsParsedIntoTheSchemasClass() {
        StructuredChatCompletionCreateParams<Person> params = ChatCompletionCreateParams.builder()
                .model("gpt-4.1-mini")
                .addUserMessage("Extract the person: Ada Lovelace, 36, mathematician from London.")
                .responseFormat(Person.class)
                .build();

        StructuredChatCompletion<Person> completion = sdk.chat().completions().create(params);

        Person person = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(person.name).isNotBlank();
        assertThat(person.skills).isNotNull();
        assertThat(person.address).isNotNull();
        assertThat(person.address.city).isNotBlank();
        assertThat(person.role).isNotNull();
        JsonNode format = ObjectMappers.jsonMapper().valueToTree(params.rawParams().responseFormat().orElseThrow());
        assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
        JsonNode raw = GatewayHarness.json(completion.rawChatCompletion().choices().getFirst().message().content().orElseThrow());
        assertThat(JsonSchemas.violations(format.at("/json_schema/schema"), raw)).as(raw.toString()).isEmpty();

        ChatCompletion plain = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4.1-mini")
                .addUserMessage("Book a flight to Rome")
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("flight").strict(true).schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .additionalProperties(properties(FLIGHTS_PARAMETERS)).build()).build()).build())
                .build());
        assertThat(JsonSchemas.violations(GatewayHarness.json(FLIGHTS_PARAMETERS),
                GatewayHarness.json(plain.choices().getFirst().message().content().orElseThrow()))).isEmpty();
    }

    @Test
    void twoChoicesWithLogprobsAreDifferentAndBilledTogether() {
        HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
                .model("gpt-4.1")
                .addUserMessage("Give me a slogan for a bakery")
                .n(2)
                .logprobs(true)
                .topLogprobs(3)
                .build());
        ChatCompletion completion = raw.parse();

        assertThat(completion.choices()).hasSize(2);
        assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        Set<String> texts = new HashSet<>();
        long tokens = 0;
        for (ChatCompletion.Choice choice : completion.choices()) {
            texts.add(choice.message().content().orElseThrow());
            List<ChatCompletionTokenLogprob> logprobs = choice.logprobs().orElseThrow().content().orElseThrow();
            assertThat(logprobs).isNotEmpty().allSatisfy(t -> {
                assertThat(t.logprob()).isLessThanOrEqualTo(0.0);
                assertThat(t.bytes()).isPresent();
                assertThat(t.topLogprobs()).hasSize(3);
            });
            assertThat(String.join("", logprobs.stream().map(ChatCompletionTokenLogprob::token).toList()))
                    .isEqualTo(choice.message().content().orElseThrow());
            tokens += logprobs.size();
        }
        assertThat(texts).hasSize(2);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(tokens);
        assertBilledAtTheCatalogPrice(raw, "gpt-4.1", usage);
    }

    @Test
    void aStreamedToolCallAndStreamedLogprobsAddUpInTheSdksAccumulator() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("gpt-4.1")
                .addUserMessage("Flights from OSL to CDG for three, please")
                .addFunctionTool(flights())
                .build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion called = accumulator.chatCompletion();
        assertThat(called.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = called.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("search_flights");
        assertThat(JsonSchemas.violations(GatewayHarness.json(FLIGHTS_PARAMETERS), GatewayHarness.json(call.function().arguments()))).isEmpty();

        ChatCompletionAccumulator texts = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("gpt-4.1")
                .addUserMessage("Say hello")
                .n(2)
                .logprobs(true)
                .topLogprobs(2)
                .build())) {
            stream.stream().forEach(texts::accumulate);
        }
        ChatCompletion streamed = texts.chatCompletion();
        assertThat(streamed.choices()).hasSize(2);
        for (ChatCompletion.Choice choice : streamed.choices()) {
            List<ChatCompletionTokenLogprob> logprobs = choice.logprobs().orElseThrow().content().orElseThrow();
            assertThat(String.join("", logprobs.stream().map(ChatCompletionTokenLogprob::token).toList()))
                    .isEqualTo(choice.message().content().orElseThrow());
            assertThat(logprobs).allSatisfy(t -> assertThat(t.topLogprobs()).hasSize(2));
        }
    }

    /** The request's one ledger row: the model asked for, the usage the client saw, at the catalog's price for it. */
    private static void assertBilledAtTheCatalogPrice(HttpResponseFor<?> raw, String model, CompletionUsage seen) {
        String id = raw.headers().values("x-triage-request-id").getFirst();
        Usage usage = Usage.reported(seen.promptTokens(), seen.completionTokens());
        Price price = config.catalog().find(model).orElseThrow().price();
        assertThat(app.ledger().findByRequest(id)).singleElement().satisfies((LedgerEntry e) -> {
            assertThat(e.model()).isEqualTo(model);
            assertThat(e.usage()).isEqualTo(usage);
            assertThat(e.cost()).isEqualTo(price.cost(usage)).isGreaterThan(Money.ZERO);
        });
        assertThat(raw.headers().values("x-triage-cost-usd")).containsExactly(price.cost(usage).toUsdString());
    }

    private static FunctionDefinition flights() {
        return FunctionDefinition.builder().name("search_flights").description("Find flights between two airports on a date")
                .parameters(FunctionParameters.builder().additionalProperties(properties(FLIGHTS_PARAMETERS)).build())
                .strict(true).build();
    }

    private static Map<String, JsonValue> properties(String schema) {
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        GatewayHarness.json(schema).properties().forEach(e -> out.put(e.getKey(), JsonValue.fromJsonNode(e.getValue())));
        return out;
    }
}
