package dev.triage.provider.gemini;

import static dev.triage.provider.gemini.FakeGemini.API_KEY;
import static dev.triage.provider.gemini.FakeGemini.call;
import static dev.triage.provider.gemini.FakeGemini.json;
import static dev.triage.provider.gemini.FakeGemini.requestJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the provider sends to Gemini: the URL, the headers and the exact request body. */
class GeminiRequestTest {

    private static final String OK = """
            {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4},
             "modelVersion":"gemini-2.0-flash","responseId":"resp-1"}""";

    private final FakeGemini gemini = new FakeGemini();

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void completionPostsToGenerateContentWithTheKeyInTheHeaderOnly() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"}]}"""));

        RecordedRequest request = gemini.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
        assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(request.getHeaders().get("x-team")).isEqualTo("search");
        assertThat(request.getHeaders().get("content-type")).isEqualTo("application/json");
        assertThat(request.getTarget()).doesNotContain(API_KEY).doesNotContain("key=");
        assertThat(requestJson(request)).isEqualTo(json("""
                {"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"""));
    }

    @Test
    void streamPostsToStreamGenerateContentWithAltSse() {
        gemini.answerStream("""
                {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP"}],
                 "modelVersion":"gemini-2.0-flash","responseId":"resp-1"}""");

        gemini.provider.stream(call("""
                {"model":"flash","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), chunk -> { });

        RecordedRequest request = gemini.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
        assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(request.getTarget()).doesNotContain(API_KEY);
        assertThat(requestJson(request)).isEqualTo(json("""
                {"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"""));
    }

    @Test
    void systemMultiTurnToolsAndToolResultsTranslateToGeminiContents() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash",
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"developer","content":[{"type":"text","text":"Use metric units."}]},
                   {"role":"user","content":"Weather in Paris and Rome?"},
                   {"role":"assistant","content":null,"tool_calls":[
                     {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                     {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_a","content":"{\\"temp_c\\":18}"},
                   {"role":"tool","tool_call_id":"call_b","content":"sunny, 24 degrees"},
                   {"role":"assistant","content":"Paris 18°C, Rome 24°C."},
                   {"role":"user","content":[{"type":"text","text":"And"},{"type":"text","text":"tomorrow?"}]}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},
                   "strict":true}}],
                 "tool_choice":"auto",
                 "temperature":0.2,
                 "max_tokens":256}"""));

        assertThat(requestJson(gemini.takeRequest())).isEqualTo(json("""
                {"contents":[
                   {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
                   {"role":"model","parts":[
                     {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                     {"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},
                   {"role":"user","parts":[
                     {"functionResponse":{"name":"get_weather","response":{"temp_c":18}}},
                     {"functionResponse":{"name":"get_weather","response":{"content":"sunny, 24 degrees"}}}]},
                   {"role":"model","parts":[{"text":"Paris 18°C, Rome 24°C."}]},
                   {"role":"user","parts":[{"text":"And"},{"text":"tomorrow?"}]}],
                 "systemInstruction":{"parts":[{"text":"You are terse."},{"text":"Use metric units."}]},
                 "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather",
                   "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},
                 "generationConfig":{"temperature":0.2,"maxOutputTokens":256}}"""));
    }

    @Test
    void consecutiveUserMessagesMergeIntoOneTurn() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"one"},{"role":"user","content":"two"}]}"""));

        assertThat(requestJson(gemini.takeRequest())).isEqualTo(json("""
                {"contents":[{"role":"user","parts":[{"text":"one"},{"text":"two"}]}]}"""));
    }

    @Test
    void imagesBecomeInlineDataOrFileDataByUrlKind() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":[
                   {"type":"text","text":"Compare"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                   {"type":"image_url","image_url":{"url":"https://example.com/cat.webp?size=large","detail":"high"}},
                   {"type":"image_url","image_url":{"url":"https://example.com/photo"}}]}]}"""));

        assertThat(requestJson(gemini.takeRequest())).isEqualTo(json("""
                {"contents":[{"role":"user","parts":[
                   {"text":"Compare"},
                   {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                   {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.webp?size=large"}},
                   {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/photo"}}]}]}"""));
    }

    @Test
    void samplingStopFormatSeedPenaltiesAndEffortGoToGenerationConfig() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"}],
                 "top_p":0.9,"max_completion_tokens":1000,"max_tokens":50,"stop":"END","n":2,"seed":42,
                 "presence_penalty":0.5,"frequency_penalty":-0.25,"response_format":{"type":"json_object"},
                 "logprobs":true,"top_logprobs":3,"reasoning_effort":"medium","user":"u-1"}"""));

        assertThat(requestJson(gemini.takeRequest()).get("generationConfig")).isEqualTo(json("""
                {"topP":0.9,"maxOutputTokens":1000,"stopSequences":["END"],"candidateCount":2,"seed":42,
                 "presencePenalty":0.5,"frequencyPenalty":-0.25,"responseMimeType":"application/json",
                 "responseLogprobs":true,"logprobs":3,"thinkingConfig":{"thinkingBudget":8192}}"""));
    }

    @Test
    void jsonSchemaResponseFormatPassesTheSchemaAsResponseJsonSchema() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"}],"stop":["a","b"],"reasoning_effort":"high",
                 "response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,
                   "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}}}"""));

        assertThat(requestJson(gemini.takeRequest()).get("generationConfig")).isEqualTo(json("""
                {"stopSequences":["a","b"],"responseMimeType":"application/json",
                 "responseJsonSchema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false},
                 "thinkingConfig":{"thinkingBudget":24576}}"""));
    }

    @Test
    void lowReasoningEffortIsAThousandTokenThinkingBudget() {
        gemini.answerJson(OK);

        gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"low"}"""));

        assertThat(requestJson(gemini.takeRequest()).get("generationConfig")).isEqualTo(json("""
                {"thinkingConfig":{"thinkingBudget":1024}}"""));
    }

    @Test
    void requiredToolChoiceIsModeAnyAndANamedOneAlsoRestrictsTheNames() {
        gemini.answerJson(OK);
        gemini.answerJson(OK);
        gemini.answerJson(OK);
        String tools = """
                "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{}}}}]""";

        gemini.provider.complete(call("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + tools + ",\"tool_choice\":\"required\"}"));
        gemini.provider.complete(call("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + tools
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}}"));
        gemini.provider.complete(call("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + tools + ",\"tool_choice\":\"none\"}"));

        assertThat(requestJson(gemini.takeRequest()).get("toolConfig")).isEqualTo(json("""
                {"functionCallingConfig":{"mode":"ANY"}}"""));
        assertThat(requestJson(gemini.takeRequest()).get("toolConfig")).isEqualTo(json("""
                {"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["lookup"]}}"""));
        assertThat(requestJson(gemini.takeRequest()).get("toolConfig")).isEqualTo(json("""
                {"functionCallingConfig":{"mode":"NONE"}}"""));
    }

    @Test
    void fullModelResourceNamesAreUsedAsGiven() {
        gemini.answerJson(OK);
        var request = call("""
                {"messages":[{"role":"user","content":"Hi"}]}""");

        gemini.provider.complete(new ProviderCall(request.request(), "tunedModels/my-tune-7",
                request.deadline(), request.streamIdleTimeout()));

        assertThat(gemini.takeRequest().getTarget()).isEqualTo("/v1beta/tunedModels/my-tune-7:generateContent");
    }

    @Test
    void aRequestGeminiCannotExpressIsRefusedNamingTheFieldAtFault() {
        assertThat(refusal("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"custom","custom":{"name":"x"}}]}"""))
                .isEqualTo("tools");
        assertThat(refusal("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes"}""")).isEqualTo("tool_choice");
        assertThat(refusal("""
                {"model":"flash","messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"call_9","content":"42"}]}"""))
                .isEqualTo("messages");
        assertThat(gemini.server.getRequestCount()).isZero();
    }

    private String refusal(String request) {
        String[] param = new String[1];
        assertThatThrownBy(() -> gemini.provider.complete(call(request)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith("gemini: ");
                    param[0] = e.param();
                });
        return param[0];
    }
}
