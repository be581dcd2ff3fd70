package dev.triage.provider.gemini;

import static dev.triage.provider.gemini.FakeGemini.NOW_SECONDS;
import static dev.triage.provider.gemini.FakeGemini.call;
import static dev.triage.provider.gemini.FakeGemini.json;
import static dev.triage.provider.gemini.FakeGemini.normalized;
import static dev.triage.provider.gemini.FakeGemini.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Usage;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams: Gemini's SSE fragments in OpenAI chat.completion.chunk shape. */
class GeminiStreamTest {

    private static final String HI = """
            {"model":"flash","stream":true,"messages":[{"role":"user","content":"Why is the sky blue?"}]}""";

    private final FakeGemini gemini = new FakeGemini();
    private final List<ObjectNode> chunks = new ArrayList<>();

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void textFragmentsBecomeContentChunksAndTheLastUsageIsKept() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"}}],
                 "usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,
                   "promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}]},
                 "modelVersion": "gemini-2.0-flash","responseId": "s1"}""", """
                {"candidates": [{"content": {"parts": [{"text": " scattering."}],"role": "model"},"finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 4,"totalTokenCount": 12,
                   "promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}],
                   "candidatesTokensDetails": [{"modality": "TEXT","tokenCount": 4}]},
                 "modelVersion": "gemini-2.0-flash","responseId": "s1"}""");

        StreamOutcome outcome = gemini.provider.stream(call(HI), chunks::add);

        assertThat(chunks).map(FakeGemini::normalized).containsExactly(
                chunk("s1", """
                        {"role":"assistant","content":"Rayleigh"}""", null),
                chunk("s1", """
                        {"content":" scattering."}""", null),
                chunk("s1", "{}", "stop"));
        assertThat(outcome).isEqualTo(new StreamOutcome(Usage.reported(8, 4), "stop"));
    }

    @Test
    void eachFragmentsLogprobsRideOnItsTextChunk() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"},
                   "logprobsResult": {"topCandidates": [{"candidates": [{"token": "Rayleigh","logProbability": -0.05},{"token": "Mie","logProbability": -3.5}]}],
                                      "chosenCandidates": [{"token": "Rayleigh","logProbability": -0.05}]}}],
                 "modelVersion": "gemini-2.0-flash","responseId": "l1"}""", """
                {"candidates": [{"content": {"parts": [{"text": " scattering."}],"role": "model"},"finishReason": "STOP",
                   "logprobsResult": {"topCandidates": [{"candidates": [{"token": " scattering"}]},{"candidates": [{"token": ".","logProbability": -0.5}]}],
                                      "chosenCandidates": [{"token": " scattering"},{"token": ".","logProbability": -0.5}]}}],
                 "usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 3,"totalTokenCount": 11},
                 "modelVersion": "gemini-2.0-flash","responseId": "l1"}""");

        gemini.provider.stream(call("""
                {"model":"flash","stream":true,"logprobs":true,"top_logprobs":2,
                 "messages":[{"role":"user","content":"Why is the sky blue?"}]}"""), chunks::add);

        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0).at("/choices/0/logprobs")).isEqualTo(json("""
                {"content":[{"token":"Rayleigh","logprob":-0.05,"bytes":[82,97,121,108,101,105,103,104],
                  "top_logprobs":[{"token":"Rayleigh","logprob":-0.05,"bytes":[82,97,121,108,101,105,103,104]},
                                  {"token":"Mie","logprob":-3.5,"bytes":[77,105,101]}]}],
                 "refusal":null}"""));
        assertThat(chunks.get(1).at("/choices/0/logprobs/content")).isEqualTo(json("""
                [{"token":" scattering","logprob":0.0,"bytes":[32,115,99,97,116,116,101,114,105,110,103],
                  "top_logprobs":[{"token":" scattering","logprob":0.0,"bytes":[32,115,99,97,116,116,101,114,105,110,103]}]},
                 {"token":".","logprob":-0.5,"bytes":[46],"top_logprobs":[{"token":".","logprob":-0.5,"bytes":[46]}]}]"""));
        assertThat(chunks.get(2).at("/choices/0/logprobs").isNull()).isTrue();
        assertThat(chunks.get(2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void logprobsOfAFragmentWithoutTextComeOnTheFinishChunk() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"}}],
                 "modelVersion": "gemini-2.0-flash","responseId": "l2"}""", """
                {"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP",
                   "logprobsResult": {"chosenCandidates": [{"token": "!","logProbability": -1.5}]}}],
                 "usageMetadata": {"promptTokenCount": 2,"candidatesTokenCount": 2,"totalTokenCount": 4},
                 "modelVersion": "gemini-2.0-flash","responseId": "l2"}""");

        gemini.provider.stream(call("""
                {"model":"flash","stream":true,"logprobs":true,"messages":[{"role":"user","content":"Hello"}]}"""), chunks::add);

        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(1).at("/choices/0/logprobs/content")).isEqualTo(json("""
                [{"token":"!","logprob":-1.5,"bytes":[33],"top_logprobs":[]}]"""));
    }

    @Test
    void thoughtsAreNotStreamedButCountAsReasoningTokens() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "**Considering light**", "thought": true}],"role": "model"}}],
                 "usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 60,"thoughtsTokenCount": 52},
                 "modelVersion": "gemini-2.5-flash","responseId": "t1"}""", """
                {"candidates": [{"content": {"parts": [{"text": "Scattering."}],"role": "model"},"finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 2,"totalTokenCount": 62,
                   "cachedContentTokenCount": 4,"thoughtsTokenCount": 52},
                 "modelVersion": "gemini-2.5-flash","responseId": "t1"}""");

        StreamOutcome outcome = gemini.provider.stream(call(HI), chunks::add);

        assertThat(chunks).extracting(c -> c.at("/choices/0/delta/content").asText(null))
                .containsExactly("Scattering.", null);
        assertThat(outcome.usage()).isEqualTo(new Usage(8, 54, 4, 0, 52, false));
    }

    @Test
    void functionCallFragmentBecomesAToolCallChunkAndFinishesWithToolCalls() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [
                    {"functionCall": {"name": "get_weather","args": {"city": "Paris"}}},
                    {"functionCall": {"name": "get_weather","args": {"city": "Rome"}}}],"role": "model"},
                  "finishReason": "STOP"}],
                 "usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 10,"totalTokenCount": 40},
                 "modelVersion": "gemini-2.0-flash","responseId": "f1"}""");

        StreamOutcome outcome = gemini.provider.stream(call(HI), chunks::add);

        assertThat(chunks).map(FakeGemini::normalized).containsExactly(
                chunk("f1", """
                        {"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function",
                          "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}""", null),
                chunk("f1", """
                        {"tool_calls":[{"index":1,"id":"call_2","type":"function",
                          "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]}""", null),
                chunk("f1", "{}", "tool_calls"));
        assertThat(outcome).isEqualTo(new StreamOutcome(Usage.reported(30, 10), "tool_calls"));
    }

    @Test
    void maxTokensFinishesWithLength() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Once upon"}],"role": "model"},"finishReason": "MAX_TOKENS"}],
                 "usageMetadata": {"promptTokenCount": 4,"candidatesTokenCount": 2,"totalTokenCount": 6},
                 "modelVersion": "gemini-2.0-flash","responseId": "m1"}""");

        StreamOutcome outcome = gemini.provider.stream(call(HI), chunks::add);

        assertThat(outcome.finishReason()).isEqualTo("length");
        assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void blockedPromptEndsTheStreamWithContentFilter() {
        gemini.answerStream("""
                {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},
                 "usageMetadata": {"promptTokenCount": 14,"totalTokenCount": 14},
                 "modelVersion": "gemini-2.0-flash","responseId": "b1"}""");

        StreamOutcome outcome = gemini.provider.stream(call(HI), chunks::add);

        assertThat(chunks).map(FakeGemini::normalized).containsExactly(
                chunk("b1", """
                        {"role":"assistant","content":""}""", "content_filter"));
        assertThat(outcome).isEqualTo(new StreamOutcome(Usage.reported(14, 0), "content_filter"));
    }

    @Test
    void streamThatEndsWithoutAFinishReasonIsAConnectionError() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"}}],
                 "modelVersion": "gemini-2.0-flash","responseId": "c1"}""");

        assertThatThrownBy(() -> gemini.provider.stream(call(HI), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
                    assertThat(e.getMessage()).isEqualTo("gemini: stream ended before completion");
                });
        assertThat(chunks).hasSize(1);
    }

    @Test
    void connectionCutMidStreamIsAConnectionError() {
        gemini.answer(new MockResponse.Builder()
                .code(200)
                .setHeader("content-type", "text/event-stream")
                .body(sse("""
                        {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"}}],
                         "modelVersion": "gemini-2.0-flash","responseId": "c2"}""", """
                        {"candidates": [{"content": {"parts": [{"text": " scattering, which makes short wavelengths"}],"role": "model"}}],
                         "modelVersion": "gemini-2.0-flash","responseId": "c2"}""", """
                        {"candidates": [{"content": {"parts": [{"text": " dominate."}],"role": "model"},"finishReason": "STOP"}],
                         "modelVersion": "gemini-2.0-flash","responseId": "c2"}"""))
                .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
                .build());

        assertThatThrownBy(() -> gemini.provider.stream(call(HI), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
                    assertThat(e.getMessage()).startsWith("gemini: the upstream stream broke");
                });
        assertThat(chunks).allSatisfy(c -> assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue());
    }

    @Test
    void stalledStreamTimesOutAfterTheIdleTimeout() {
        gemini.answer(new MockResponse.Builder()
                .code(200)
                .setHeader("content-type", "text/event-stream")
                .body(sse("""
                        {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"}}],
                         "modelVersion": "gemini-2.0-flash","responseId": "st"}""", """
                        {"candidates": [{"content": {"parts": [{"text": " scattering."}],"role": "model"},"finishReason": "STOP"}],
                         "modelVersion": "gemini-2.0-flash","responseId": "st"}"""))
                .onResponseBody(SocketEffect.Stall.INSTANCE)
                .build());
        long start = System.nanoTime();

        assertThatThrownBy(() -> gemini.provider.stream(call(HI, Duration.ofMillis(300)), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.getMessage()).startsWith("gemini: the upstream stream stalled");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void clientGoneDuringTheStreamPropagatesAndStopsReading() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"}}],
                 "modelVersion": "gemini-2.0-flash","responseId": "g1"}""", """
                {"candidates": [{"content": {"parts": [{"text": " scattering."}],"role": "model"},"finishReason": "STOP"}],
                 "modelVersion": "gemini-2.0-flash","responseId": "g1"}""");
        List<JsonNode> delivered = new ArrayList<>();

        assertThatThrownBy(() -> gemini.provider.stream(call(HI), chunk -> {
            delivered.add(chunk);
            throw new ClientGoneException(new IOException("Broken pipe"));
        })).isInstanceOf(ClientGoneException.class);
        assertThat(delivered).hasSize(1);
    }

    @Test
    void errorEventInsideTheStreamIsMappedLikeAnHttpError() {
        gemini.answerStream("""
                {"candidates": [{"content": {"parts": [{"text": "Rayleigh"}],"role": "model"}}],
                 "modelVersion": "gemini-2.0-flash","responseId": "e1"}""", """
                {"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}""");

        assertThatThrownBy(() -> gemini.provider.stream(call(HI), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
                    assertThat(e.upstreamStatus()).isEqualTo(503);
                    assertThat(e.getMessage()).isEqualTo("gemini: UNAVAILABLE: The model is overloaded. Please try again later.");
                });
    }

    @Test
    void eventThatIsNotJsonIsAProtocolError() {
        gemini.answer(new MockResponse.Builder()
                .code(200)
                .setHeader("content-type", "text/event-stream")
                .body("data: <html>oops</html>\r\n\r\n")
                .build());

        assertThatThrownBy(() -> gemini.provider.stream(call(HI), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
    }

    private static JsonNode chunk(String id, String delta, String finishReason) {
        return json("""
                {"id":"%s","object":"chat.completion.chunk","created":%d,"model":"gemini-2.0-flash",
                 "choices":[{"index":0,"delta":%s,"logprobs":null,"finish_reason":%s}]}"""
                .formatted(id, NOW_SECONDS, delta, finishReason == null ? "null" : "\"" + finishReason + "\""));
    }
}
