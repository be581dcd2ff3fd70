package dev.triage.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;
import dev.triage.responsecache.StreamedAnswer;
import dev.triage.scoring.Answer;
import dev.triage.scoring.HeuristicScorer;
import dev.triage.scoring.LogprobScorer;
import dev.triage.testing.JsonSchemas;
import dev.triage.tokens.TokenEstimator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulated provider answers like a model: tool calls whose arguments fit the function's schema, JSON that
 * fits the {@code response_format}, {@code n} choices, logprobs, the same through a stream, the same answer to
 * the same prompt, and usage that counts exactly what it answered.
 */
class SimulatedProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenEstimator TOKENS = new TokenEstimator();

    private static final String WEATHER = """
            {"type":"function","function":{"name":"get_weather","description":"Current weather in a city",
             "parameters":{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},
               "days":{"type":"integer","minimum":1,"maximum":7}},"required":["location","unit","days"],"additionalProperties":false},"strict":true}}""";
    private static final String FLIGHTS = """
            {"type":"function","function":{"name":"search_flights","description":"Find flights between two airports on a date",
             "parameters":{"type":"object","properties":{"from":{"type":"string","pattern":"^[A-Z]{3}$"},"to":{"type":"string","pattern":"^[A-Z]{3}$"},
               "date":{"type":"string","format":"date"},"passengers":{"type":"array","items":{"type":"object","properties":{
               "name":{"type":"string"},"age":{"type":"integer","minimum":0}},"required":["name","age"]},"minItems":1}},
               "required":["from","to","date","passengers"]}}}""";
    private static final String PERSON_SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0,"maximum":120},
             "email":{"type":"string","format":"email"},"tags":{"type":"array","items":{"type":"string"}},
             "address":{"anyOf":[{"$ref":"#/$defs/Address"},{"type":"null"}]}},
             "required":["name","age","email","tags","address"],"additionalProperties":false,
             "$defs":{"Address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string","pattern":"^\\\\d{5}$"}},
               "required":["city","zip"],"additionalProperties":false}}}""";

    private final SimulatedProvider provider = new SimulatedProvider("sim", SimulatedProvider.Settings.fast(), TOKENS);

    @Test
    void aRequiredToolIsAlwaysCalledWithArgumentsValidAgainstItsParameters() {
        for (String question : List.of("What's the weather in Paris for the next days?", "hi", "Tell me a joke.", "Rome or Oslo?")) {
            ChatResponse r = provider.complete(call("""
                    {"model":"m","messages":[{"role":"user","content":%s}],"tools":[%s],"tool_choice":"required"}""".formatted(quoted(question), WEATHER)));

            JsonNode toolCall = r.body().at("/choices/0/message/tool_calls/0");
            assertThat(r.finishReason()).isEqualTo("tool_calls");
            assertThat(r.body().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
            assertThat(r.body().at("/choices/0/message/content").isNull()).isTrue();
            assertThat(toolCall.path("id").asText()).matches("call_[0-9A-Za-z]{24}");
            assertThat(toolCall.path("type").asText()).isEqualTo("function");
            assertThat(toolCall.at("/function/name").asText()).isEqualTo("get_weather");
            JsonNode args = json(toolCall.at("/function/arguments").asText());
            assertThat(JsonSchemas.violations(json(WEATHER).at("/function/parameters"), args)).as(args.toString()).isEmpty();
        }
    }

    @Test
    void theArgumentsTakeWhatThePromptNames() {
        ChatResponse r = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"What's the weather in Paris?"}],"tools":[%s],"tool_choice":"required"}"""
                .formatted(WEATHER)));

        assertThat(json(r.body().at("/choices/0/message/tool_calls/0/function/arguments").asText()).get("location").asText())
                .isEqualTo("Paris");
    }

    @Test
    void theSamePromptGetsTheSameCallAndAnotherPromptAnother() {
        String ask = """
                {"model":"m","messages":[{"role":"user","content":"%s"}],"tools":[%s],"tool_choice":"required"}""";
        JsonNode first = provider.complete(call(ask.formatted("Flights for Ann and Bob, please", FLIGHTS))).body().at("/choices/0/message/tool_calls/0");
        JsonNode again = provider.complete(call(ask.formatted("Flights for Ann and Bob, please", FLIGHTS))).body().at("/choices/0/message/tool_calls/0");
        JsonNode other = provider.complete(call(ask.formatted("Flights for Cy, please", FLIGHTS))).body().at("/choices/0/message/tool_calls/0");

        assertThat(again).isEqualTo(first);
        assertThat(other.path("id")).isNotEqualTo(first.path("id"));
        assertThat(other.at("/function/arguments")).isNotEqualTo(first.at("/function/arguments"));
        assertThat(JsonSchemas.violations(json(FLIGHTS).at("/function/parameters"), json(first.at("/function/arguments").asText()))).isEmpty();
    }

    @Test
    void aNamedFunctionIsTheOneCalled() {
        ChatResponse r = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"What's the weather in Paris?"}],"tools":[%s,%s],
                 "tool_choice":{"type":"function","function":{"name":"search_flights"}}}""".formatted(WEATHER, FLIGHTS)));

        JsonNode toolCall = r.body().at("/choices/0/message/tool_calls/0");
        assertThat(toolCall.at("/function/name").asText()).isEqualTo("search_flights");
        assertThat(JsonSchemas.violations(json(FLIGHTS).at("/function/parameters"), json(toolCall.at("/function/arguments").asText()))).isEmpty();
    }

    @Test
    void aNamedFunctionThatIsNotOfferedIsABadRequest() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[%s],
                 "tool_choice":{"type":"function","function":{"name":"nope"}}}""".formatted(WEATHER))));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.getMessage()).startsWith("sim: ").contains("'nope'");
    }

    @Test
    void onAutoAQuestionGetsACallOfTheToolItIsAboutAndAToolResultGetsText() {
        String tools = "[" + WEATHER + "," + FLIGHTS + "]";
        ChatResponse asked = provider.complete(call("""
                {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Find flights from Paris to Oslo"}],"tools":%s}"""
                .formatted(tools)));
        assertThat(asked.finishReason()).isEqualTo("tool_calls");
        JsonNode toolCall = asked.body().at("/choices/0/message/tool_calls/0");
        assertThat(toolCall.at("/function/name").asText()).isEqualTo("search_flights");

        ObjectNode followUp = (ObjectNode) json("""
                {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Find flights from Paris to Oslo"}],
                 "tools":%s,"tool_choice":"auto"}""".formatted(tools));
        ((ArrayNode) followUp.get("messages")).add(asked.body().at("/choices/0/message"))
                .addObject().put("role", "tool").put("tool_call_id", toolCall.path("id").asText()).put("content", "{\"flights\":[\"SK 4711\"]}");
        ChatResponse answered = provider.complete(call(followUp.toString()));

        assertThat(answered.finishReason()).isEqualTo("stop");
        assertThat(answered.body().at("/choices/0/message/content").asText()).isNotBlank();
        assertThat(answered.body().at("/choices/0/message").has("tool_calls")).isFalse();
    }

    @Test
    void noneAndAllowedToolsAreFollowed() {
        ChatResponse none = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[%s],"tool_choice":"none"}""".formatted(WEATHER)));
        assertThat(none.finishReason()).isEqualTo("stop");
        assertThat(none.body().at("/choices/0/message/content").asText()).isNotBlank();

        ChatResponse allowed = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[%s,%s],
                 "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"search_flights"}}]}}}"""
                .formatted(WEATHER, FLIGHTS)));
        assertThat(allowed.body().at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("search_flights");
    }

    @Test
    void aJsonSchemaAnswerIsValidAgainstTheSchemaAndAJsonObjectAnswerIsAnObject() {
        for (String question : List.of("Who is Ada Lovelace?", "Extract the person: Grace Hopper, 85, grace@navy.mil", "x")) {
            ChatResponse r = provider.complete(call("""
                    {"model":"m","messages":[{"role":"user","content":%s}],
                     "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":%s}}}"""
                    .formatted(quoted(question), PERSON_SCHEMA)));
            assertThat(r.finishReason()).isEqualTo("stop");
            JsonNode content = json(r.body().at("/choices/0/message/content").asText());
            assertThat(JsonSchemas.violations(json(PERSON_SCHEMA), content)).as(content.toString()).isEmpty();
        }

        ChatResponse object = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Answer in JSON"}],"response_format":{"type":"json_object"}}"""));
        assertThat(json(object.body().at("/choices/0/message/content").asText()).isObject()).isTrue();
    }

    @Test
    void nChoicesAreDifferentAndBilledAsOpenAiBillsThem() {
        ChatResponse r = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Say hello"}],"n":3}"""));

        JsonNode choices = r.body().get("choices");
        assertThat(choices).map(c -> c.path("index").asInt(-1)).containsExactly(0, 1, 2);
        Set<String> texts = new HashSet<>();
        long completion = 0;
        for (JsonNode c : choices) {
            texts.add(c.at("/message/content").asText());
            completion += TOKENS.count(c.at("/message/content").asText());
        }
        assertThat(texts).hasSize(3);
        Usage once = provider.complete(call("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}")).usage();
        assertThat(r.usage()).isEqualTo(Usage.reported(once.inputTokens(), completion));
        assertThat(r.body().at("/usage/completion_tokens").asLong()).isEqualTo(completion);
        assertThat(r.body().at("/usage/prompt_tokens").asLong()).isEqualTo(once.inputTokens());
    }

    @Test
    void eachChoiceOfAToolCallHasItsOwnArguments() {
        ChatResponse r = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Flights please"}],"tools":[%s],"tool_choice":"required","n":2}""".formatted(FLIGHTS)));

        JsonNode a = r.body().at("/choices/0/message/tool_calls/0");
        JsonNode b = r.body().at("/choices/1/message/tool_calls/0");
        assertThat(a.path("id")).isNotEqualTo(b.path("id"));
        assertThat(a.at("/function/arguments")).isNotEqualTo(b.at("/function/arguments"));
        long completion = 0;
        for (JsonNode c : List.of(a, b)) {
            assertThat(JsonSchemas.violations(json(FLIGHTS).at("/function/parameters"), json(c.at("/function/arguments").asText()))).isEmpty();
            completion += TOKENS.count("search_flights") + TOKENS.count(c.at("/function/arguments").asText());
        }
        assertThat(r.usage().outputTokens()).isEqualTo(completion);
    }

    @Test
    void logprobsComeOnePerBilledTokenInOpenAisFormat() {
        for (String format : List.of("", ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":" + PERSON_SCHEMA + "}}")) {
            ChatResponse r = provider.complete(call("""
                    {"model":"m","messages":[{"role":"user","content":"Tell me about Zürich and 東京"}],"n":2,"logprobs":true,"top_logprobs":3%s}"""
                    .formatted(format)));

            for (JsonNode choice : r.body().get("choices")) {
                String content = choice.at("/message/content").asText();
                JsonNode entries = choice.at("/logprobs/content");
                assertThat(entries).hasSize(TOKENS.count(content));
                assertThat(choice.at("/logprobs/refusal").isNull()).isTrue();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (JsonNode entry : entries) {
                    assertThat(entry.path("logprob").asDouble()).isLessThanOrEqualTo(0.0);
                    byte[] token = bytes(entry.path("bytes"));
                    bytes.writeBytes(token);
                    if (entry.path("token").asText().indexOf('\uFFFD') < 0) {
                        assertThat(token).isEqualTo(entry.path("token").asText().getBytes(StandardCharsets.UTF_8));
                    }
                    JsonNode top = entry.path("top_logprobs");
                    assertThat(top).hasSize(3);
                    List<Double> values = new ArrayList<>();
                    Set<String> alternatives = new HashSet<>();
                    double mass = 0;
                    for (JsonNode t : top) {
                        values.add(t.path("logprob").asDouble());
                        alternatives.add(t.path("token").asText());
                        mass += Math.exp(t.path("logprob").asDouble());
                        assertThat(bytes(t.path("bytes"))).isEqualTo(t.path("token").asText().getBytes(StandardCharsets.UTF_8));
                    }
                    assertThat(values).isSortedAccordingTo((x, y) -> Double.compare(y, x));
                    assertThat(alternatives).hasSize(3);
                    assertThat(mass).isLessThanOrEqualTo(1.0 + 1e-9);
                }
                assertThat(bytes.toString(StandardCharsets.UTF_8)).as("the tokens spell the answer").isEqualTo(content);
            }
            long billed = 0;
            for (JsonNode choice : r.body().get("choices")) {
                billed += choice.at("/logprobs/content").size();
            }
            assertThat(r.usage().outputTokens()).isEqualTo(billed);
        }
    }

    @Test
    void aToolCallCarriesNoLogprobsAndNeitherDoesAnAnswerNobodyAskedThemFor() {
        ChatResponse call = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Weather?"}],"tools":[%s],"tool_choice":"required","logprobs":true}""".formatted(WEATHER)));
        assertThat(call.body().at("/choices/0/logprobs").isNull()).isTrue();

        ChatResponse plain = provider.complete(call("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"));
        assertThat(plain.body().at("/choices/0/logprobs").isNull()).isTrue();

        ChatResponse noTop = provider.complete(call("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"logprobs\":true}"));
        assertThat(noTop.body().at("/choices/0/logprobs/content/0/top_logprobs")).isEmpty();
    }

    @Test
    void aLogprobScorerReadsTheSimulatedLogprobsAndTheyVaryFromPromptToPrompt() {
        LogprobScorer scorer = new LogprobScorer(new HeuristicScorer());
        Set<Long> confidences = new HashSet<>();
        for (String question : List.of("one", "two", "three", "four", "five", "six")) {
            ChatRequest request = request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}],\"logprobs\":true}");
            ChatResponse r = provider.complete(new ProviderCall(request, "m", Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5)));
            Answer answer = new Answer(request, r.body(), r.finishReason(), "m");
            assertThat(LogprobScorer.hasLogprobs(answer)).isTrue();
            double confidence = scorer.score(answer, null);
            assertThat(confidence).isBetween(0.3, 1.0);
            confidences.add(Math.round(confidence * 100));
        }
        assertThat(confidences).hasSizeGreaterThan(1);
    }

    @Test
    void aStreamSendsTheSameAnswersAsChunksInOpenAisFormat() {
        for (String request : List.of(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[" + WEATHER + "],\"n\":2,\"logprobs\":true}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Who?\"}],\"n\":3,\"logprobs\":true,\"top_logprobs\":2,"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":" + PERSON_SCHEMA + "}}}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"n\":2,\"logprobs\":true,\"top_logprobs\":1}")) {
            ChatResponse whole = provider.complete(call(request));
            ObjectNode streamedBody = (ObjectNode) json(request);
            streamedBody.put("stream", true);
            List<ObjectNode> chunks = new ArrayList<>();

            StreamOutcome outcome = provider.stream(call(streamedBody.toString()), chunks::add);

            assertThat(chunks).allSatisfy(c -> {
                assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
                assertThat(c.get("choices")).hasSize(1);
            });
            StreamedAnswer streamed = new StreamedAnswer();
            chunks.forEach(streamed::add);
            assertThat(streamed.complete()).isTrue();
            ObjectNode rebuilt = streamed.completion(new CompletionShape("x", 0, "m"), outcome.usage());
            assertThat(rebuilt.get("choices")).as(request).isEqualTo(whole.body().get("choices"));
            assertThat(outcome).isEqualTo(new StreamOutcome(whole.usage(), whole.finishReason()));
        }
    }

    @Test
    void aStreamedToolCallOpensWithItsIdTypeAndNameThenSendsItsArgumentsInPieces() {
        List<ObjectNode> chunks = new ArrayList<>();
        provider.stream(call("""
                {"model":"m","messages":[{"role":"user","content":"Flights"}],"tools":[%s],"tool_choice":"required","stream":true}"""
                .formatted(FLIGHTS)), chunks::add);

        JsonNode opening = chunks.getFirst().at("/choices/0/delta");
        assertThat(opening.path("role").asText()).isEqualTo("assistant");
        assertThat(opening.at("/tool_calls/0/index").asInt(-1)).isZero();
        assertThat(opening.at("/tool_calls/0/id").asText()).startsWith("call_");
        assertThat(opening.at("/tool_calls/0/type").asText()).isEqualTo("function");
        assertThat(opening.at("/tool_calls/0/function/name").asText()).isEqualTo("search_flights");
        List<JsonNode> pieces = chunks.subList(1, chunks.size() - 1).stream().map(c -> c.at("/choices/0/delta/tool_calls/0")).toList();
        assertThat(pieces).hasSizeGreaterThan(3).allSatisfy(p -> {
            assertThat(p.path("index").asInt(-1)).isZero();
            assertThat(p.has("id")).isFalse();
        });
        StringBuilder arguments = new StringBuilder();
        pieces.forEach(p -> arguments.append(p.at("/function/arguments").asText()));
        assertThat(JsonSchemas.violations(json(FLIGHTS).at("/function/parameters"), json(arguments.toString()))).isEmpty();
        assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void maxTokensCutsAToolCallAndJsonAsAModelWouldAndBillsNoMore() {
        ChatResponse call = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Flights"}],"tools":[%s],"tool_choice":"required","max_tokens":8}""".formatted(FLIGHTS)));
        assertThat(call.finishReason()).isEqualTo("length");
        assertThat(call.usage().outputTokens()).isLessThanOrEqualTo(8);
        assertThat(call.body().at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("search_flights");

        ChatResponse object = provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Who?"}],"max_completion_tokens":5,
                 "response_format":{"type":"json_schema","json_schema":{"name":"p","schema":%s}}}""".formatted(PERSON_SCHEMA)));
        assertThat(object.finishReason()).isEqualTo("length");
        assertThat(object.usage().outputTokens()).isEqualTo(5);
        assertThat(TOKENS.count(object.body().at("/choices/0/message/content").asText())).isEqualTo(5);
    }

    @Test
    void promptTokensCountTheToolsAndTheSchemaAProviderRendersIntoThePrompt() {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]";
        long plain = provider.complete(call("{\"model\":\"m\"," + messages + "}")).usage().inputTokens();
        long withTools = provider.complete(call("{\"model\":\"m\"," + messages + ",\"tools\":[" + WEATHER + "]}")).usage().inputTokens();
        long withSchema = provider.complete(call("{\"model\":\"m\"," + messages
                + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":" + PERSON_SCHEMA + "}}}")).usage().inputTokens();

        assertThat(withTools).isEqualTo(plain + TOKENS.count(json("[" + WEATHER + "]").toString()));
        assertThat(withSchema).isEqualTo(plain + TOKENS.count(json("{\"name\":\"p\",\"schema\":" + PERSON_SCHEMA + "}").toString()));
    }

    private static byte[] bytes(JsonNode list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            int b = list.get(i).asInt(-1);
            assertThat(b).isBetween(0, 255);
            out[i] = (byte) b;
        }
        return out;
    }

    private static ProviderCall call(String body) {
        return new ProviderCall(request(body), "sim-model", Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5));
    }

    private static ChatRequest request(String body) {
        return new ChatRequest((ObjectNode) json(body));
    }

    private static String quoted(String text) {
        return JSON.valueToTree(text).toString();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
