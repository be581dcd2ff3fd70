package dev.triage.provider.anthropic;

import static dev.triage.provider.anthropic.FakeAnthropic.call;
import static dev.triage.provider.anthropic.FakeAnthropic.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Triage sends to {@code POST /v1/messages} for a given OpenAI-shaped request. */
class AnthropicRequestTest {

    private static final String HELLO_MESSAGE = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hi!"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}
            """;

    private final FakeAnthropic anthropic = new FakeAnthropic();

    @AfterEach
    void stop() {
        anthropic.close();
    }

    private JsonNode sent(String openAiRequest) {
        anthropic.answer(200, HELLO_MESSAGE);
        anthropic.provider.complete(call(openAiRequest));
        return anthropic.takeRequestJson();
    }

    @Test
    void conversationWithSystemToolsAndToolResultsBecomesAlternatingAnthropicTurns() {
        JsonNode sent = sent("""
                {"model":"triage/smart","max_tokens":512,"temperature":0.2,"stop":"END","user":"user-42","seed":7,
                 "messages":[
                  {"role":"system","content":"You are a weather bot."},
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"toolu_01A","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"toolu_01B","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"toolu_01A","content":"18°C, cloudy"},
                  {"role":"tool","tool_call_id":"toolu_01B","content":"24°C, sunny"},
                  {"role":"user","content":"Which is warmer?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "tool_choice":"auto"}
                """);

        assertThat(sent).isEqualTo(json("""
                {"model":"claude-sonnet-4-5-20250929","max_tokens":512,"system":"You are a weather bot.",
                 "messages":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":[
                    {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"toolu_01B","name":"get_weather","input":{"city":"Rome"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_01A","content":"18°C, cloudy"},
                    {"type":"tool_result","tool_use_id":"toolu_01B","content":"24°C, sunny"},
                    {"type":"text","text":"Which is warmer?"}]}],
                 "temperature":0.2,"stop_sequences":["END"],
                 "tools":[{"name":"get_weather","description":"Current weather for a city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "tool_choice":{"type":"auto"},
                 "metadata":{"user_id":"user-42"}}
                """));
    }

    @Test
    void requestGoesToV1MessagesWithKeyVersionAndExtraHeaders() {
        anthropic.answer(200, HELLO_MESSAGE);
        anthropic.provider.complete(call("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}]}
                """));

        RecordedRequest request = anthropic.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/v1/messages");
        assertThat(request.getHeaders().get("x-api-key")).isEqualTo(FakeAnthropic.API_KEY);
        assertThat(request.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.getHeaders().get("anthropic-beta")).isEqualTo("token-efficient-tools-2025-02-19");
        assertThat(request.getHeaders().get("content-type")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("authorization")).isNull();
    }

    @Test
    void missingMaxTokensGetsTheConfiguredDefault() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}]}
                """);

        assertThat(sent).isEqualTo(json("""
                {"model":"claude-sonnet-4-5-20250929","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}
                """));
    }

    @Test
    void signedThinkingBlocksGoBackFirstInTheirAssistantTurn() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{}"}}],
                  "thinking_blocks":[{"type":"thinking","thinking":"Use the tool.","signature":"EqQBCg"},
                                     {"type":"thinking","thinking":"unsigned","signature":""},
                                     {"type":"redacted_thinking","data":"EmwKAh"}]},
                 {"role":"tool","tool_call_id":"toolu_1","content":"sunny"}]}
                """);

        assertThat(sent.get("messages").get(1).get("content")).isEqualTo(json("""
                [{"type":"thinking","thinking":"Use the tool.","signature":"EqQBCg"},
                 {"type":"redacted_thinking","data":"EmwKAh"},
                 {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]
                """));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        JsonNode sent = sent("""
                {"model":"m","max_tokens":100,"max_completion_tokens":300,"messages":[{"role":"user","content":"Hi"}]}
                """);

        assertThat(sent.get("max_tokens").asInt()).isEqualTo(300);
    }

    @Test
    void systemAndDeveloperMessagesAreJoinedIntoOneSystemPrompt() {
        JsonNode sent = sent("""
                {"model":"m","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
                  {"role":"user","content":"Hi"}]}
                """);

        assertThat(sent.get("system").asText()).isEqualTo("Be brief.\n\nAnswer in French.");
        assertThat(sent.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"Hi"}]
                """));
    }

    @Test
    void consecutiveUserMessagesAreMergedIntoOneTurn() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"First."},{"role":"user","content":"Second."}]}
                """);

        assertThat(sent.get("messages")).isEqualTo(json("""
                [{"role":"user","content":[{"type":"text","text":"First."},{"type":"text","text":"Second."}]}]
                """));
    }

    @Test
    void imagePartsBecomeBase64OrUrlImageBlocks() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":[
                  {"type":"text","text":"Compare these."},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]}
                """);

        assertThat(sent.get("messages")).isEqualTo(json("""
                [{"role":"user","content":[
                  {"type":"text","text":"Compare these."},
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]
                """));
    }

    @Test
    void assistantTextBeforeToolCallsBecomesATextBlockThenToolUse() {
        JsonNode sent = sent("""
                {"model":"m","messages":[
                  {"role":"user","content":"Time?"},
                  {"role":"assistant","content":"Let me check.","tool_calls":[
                    {"id":"toolu_01C","type":"function","function":{"name":"clock","arguments":""}}]},
                  {"role":"tool","tool_call_id":"toolu_01C","content":[{"type":"text","text":"12:00"}]}]}
                """);

        assertThat(sent.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"Time?"},
                 {"role":"assistant","content":[{"type":"text","text":"Let me check."},
                   {"type":"tool_use","id":"toolu_01C","name":"clock","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01C",
                   "content":[{"type":"text","text":"12:00"}]}]}]
                """));
    }

    @Test
    void toolChoiceRequiredNoneAndNamedFunctionMapToAnyNoneAndTool() {
        String tools = """
                "tools":[{"type":"function","function":{"name":"lookup"}}]""";
        String base = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]," + tools + ",";

        assertThat(sent(base + "\"tool_choice\":\"required\"}").get("tool_choice")).isEqualTo(json("{\"type\":\"any\"}"));
        assertThat(sent(base + "\"tool_choice\":\"none\"}").get("tool_choice")).isEqualTo(json("{\"type\":\"none\"}"));
        assertThat(sent(base + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}}").get("tool_choice"))
                .isEqualTo(json("{\"type\":\"tool\",\"name\":\"lookup\"}"));
    }

    @Test
    void toolChoiceWithoutToolsIsLeftOut() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"tool_choice":"none"}
                """);

        assertThat(sent.has("tool_choice")).isFalse();
        assertThat(sent.has("tools")).isFalse();
    }

    @Test
    void functionWithoutParametersGetsAnEmptyObjectSchema() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"now"}}]}
                """);

        assertThat(sent.get("tools")).isEqualTo(json("""
                [{"name":"now","input_schema":{"type":"object","properties":{}}}]
                """));
    }

    @Test
    void parallelToolCallsFalseDisablesParallelToolUse() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]}
                """);

        assertThat(sent.get("tool_choice")).isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    }

    @Test
    void stopArrayBecomesStopSequencesAndTopPPassesThrough() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"stop":["\\n\\nHuman:","END"],"top_p":0.9}
                """);

        assertThat(sent.get("stop_sequences")).isEqualTo(json("[\"\\n\\nHuman:\",\"END\"]"));
        assertThat(sent.get("top_p").asDouble()).isEqualTo(0.9);
    }

    @Test
    void temperatureAboveAnthropicsMaximumIsCappedAtOne() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":1.6}
                """);

        assertThat(sent.get("temperature").asDouble()).isEqualTo(1.0);
    }

    @Test
    void reasoningEffortBecomesAThinkingBudgetOnTopOfTheDefaultLimit() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Prove it."}],"reasoning_effort":"medium","temperature":0.3}
                """);

        assertThat(sent.get("thinking")).isEqualTo(json("{\"type\":\"enabled\",\"budget_tokens\":4096}"));
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(4096 + 4096);
        assertThat(sent.has("temperature")).isFalse();
    }

    @Test
    void reasoningBudgetShrinksToHalfAnExplicitLimitItWouldExceed() {
        JsonNode high = sent("""
                {"model":"m","messages":[{"role":"user","content":"Prove it."}],"reasoning_effort":"high","max_completion_tokens":8000}
                """);
        JsonNode low = sent("""
                {"model":"m","messages":[{"role":"user","content":"Prove it."}],"reasoning_effort":"low","max_completion_tokens":8000}
                """);

        assertThat(high.get("max_tokens").asInt()).isEqualTo(8000);
        assertThat(high.get("thinking").get("budget_tokens").asInt()).isEqualTo(4000);
        assertThat(low.get("thinking").get("budget_tokens").asInt()).isEqualTo(1024);
    }

    @Test
    void reasoningIsDroppedWhenTheExplicitLimitLeavesLessThanTheMinimumBudget() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"low","max_tokens":1000}
                """);

        assertThat(sent.has("thinking")).isFalse();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(1000);
    }

    @Test
    void jsonSchemaResponseFormatIsAskedForInTheSystemPrompt() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"system","content":"Extract the city."},{"role":"user","content":"I live in Lyon."}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object","properties":{"city":{"type":"string"}}}}}}
                """);

        assertThat(sent.get("system").asText()).isEqualTo("Extract the city.\n\n"
                + "Respond only with a single valid JSON value that conforms to this JSON Schema, with no text before or after it: "
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
        assertThat(sent.has("response_format")).isFalse();
    }

    @Test
    void jsonObjectResponseFormatWithoutSystemMessageBecomesTheSystemPrompt() {
        JsonNode sent = sent("""
                {"model":"m","messages":[{"role":"user","content":"List two colours."}],"response_format":{"type":"json_object"}}
                """);

        assertThat(sent.get("system").asText())
                .isEqualTo("Respond only with a single valid JSON object, with no text before or after it.");
    }

    @Test
    void severalChoicesAreRefusedWithoutCallingTheUpstream() {
        assertThatThrownBy(() -> anthropic.provider.complete(call("""
                {"model":"m","n":2,"messages":[{"role":"user","content":"Hi"}]}
                """)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo("anthropic does not support n > 1 (several choices per request)");
                    assertThat(e.param()).isEqualTo("n");
                });
        assertThat(anthropic.requestCount()).isZero();
    }

    @Test
    void logprobsAreRefusedWithoutCallingTheUpstream() {
        assertThatThrownBy(() -> anthropic.provider.complete(call("""
                {"model":"m","logprobs":true,"top_logprobs":3,"messages":[{"role":"user","content":"Hi"}]}
                """)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo("anthropic does not support logprobs");
                    assertThat(e.param()).isEqualTo("logprobs");
                });
        assertThat(anthropic.requestCount()).isZero();
        assertThat(anthropic.provider.supportsLogprobs()).isFalse();
    }

    @Test
    void eachRefusalNamesTheFieldAtFault() {
        assertThat(refusal("""
                {"model":"m","top_logprobs":2,"messages":[{"role":"user","content":"Hi"}]}""")).isEqualTo("top_logprobs");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}"""))
                .isEqualTo("messages");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"custom","custom":{"name":"x"}}]}"""))
                .isEqualTo("tools");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"extreme"}""")).isEqualTo("reasoning_effort");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes"}""")).isEqualTo("tool_choice");
        assertThat(anthropic.requestCount()).isZero();
    }

    private String refusal(String request) {
        try {
            anthropic.provider.complete(call(request));
        } catch (ProviderException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            return e.param();
        }
        throw new AssertionError("not refused: " + request);
    }

    @Test
    void streamingCallAsksForAStream() {
        anthropic.answerStream(FakeAnthropic.event("message_start", """
                {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}""")
                + FakeAnthropic.event("message_stop", "{\"type\":\"message_stop\"}"));
        anthropic.provider.stream(call("""
                {"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}
                """), chunk -> { });

        JsonNode sent = anthropic.takeRequestJson();
        assertThat(sent).isEqualTo(json("""
                {"model":"claude-sonnet-4-5-20250929","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}],"stream":true}
                """));
    }
}
