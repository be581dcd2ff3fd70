package dev.triage.provider.gemini;

import static dev.triage.provider.gemini.FakeGemini.NOW_SECONDS;
import static dev.triage.provider.gemini.FakeGemini.call;
import static dev.triage.provider.gemini.FakeGemini.json;
import static dev.triage.provider.gemini.FakeGemini.normalized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.ChatResponse;
import dev.triage.chat.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Non-streaming answers: Gemini's GenerateContentResponse in OpenAI chat.completion shape. */
class GeminiCompletionTest {

    private static final String HI = """
            {"model":"flash","messages":[{"role":"user","content":"Capital of France?"}]}""";

    private final FakeGemini gemini = new FakeGemini();

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Test
    void providerIsOfKindGeminiAndOffersLogprobs() {
        assertThat(gemini.provider.name()).isEqualTo("gemini");
        assertThat(gemini.provider.kind()).isEqualTo(new GeminiFactory());
        assertThat(gemini.provider.supportsLogprobs()).isTrue();
    }

    @Test
    void logprobsResultBecomesOpenAiTokenLogprobsWithBytesAndAlternatives() {
        gemini.answerJson("""
                {
                  "candidates": [
                    {
                      "content": {"parts": [{"text": "Paris café"}], "role": "model"},
                      "finishReason": "STOP",
                      "avgLogprobs": -0.35,
                      "logprobsResult": {
                        "topCandidates": [
                          {"candidates": [{"token": "Paris", "tokenId": 3681}, {"token": "Lyon", "tokenId": 9001, "logProbability": -7.25}]},
                          {"candidates": [{"token": " café", "tokenId": 41, "logProbability": -0.7}, {"token": " cafe", "tokenId": 42, "logProbability": -0.75}]}
                        ],
                        "chosenCandidates": [
                          {"token": "Paris", "tokenId": 3681},
                          {"token": " café", "tokenId": 41, "logProbability": -0.7}
                        ],
                        "logProbabilitySum": -0.7
                      }
                    }
                  ],
                  "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 2, "totalTokenCount": 9},
                  "modelVersion": "gemini-2.0-flash",
                  "responseId": "lp-1"
                }""");

        ChatResponse response = gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"Capital of France?"}],"logprobs":true,"top_logprobs":2}"""));

        // A logProbability left out (proto3's default) is 0; bytes are the token's UTF-8 ("é" is 195 169).
        assertThat(response.body().at("/choices/0/logprobs")).isEqualTo(json("""
                {"content":[
                  {"token":"Paris","logprob":0.0,"bytes":[80,97,114,105,115],
                   "top_logprobs":[{"token":"Paris","logprob":0.0,"bytes":[80,97,114,105,115]},
                                   {"token":"Lyon","logprob":-7.25,"bytes":[76,121,111,110]}]},
                  {"token":" café","logprob":-0.7,"bytes":[32,99,97,102,195,169],
                   "top_logprobs":[{"token":" café","logprob":-0.7,"bytes":[32,99,97,102,195,169]},
                                   {"token":" cafe","logprob":-0.75,"bytes":[32,99,97,102,101]}]}],
                 "refusal":null}"""));
        assertThat(response.body().at("/choices/0/message/content").asText()).isEqualTo("Paris café");
    }

    @Test
    void chosenTokensWithoutTopCandidatesHaveNoAlternatives() {
        gemini.answerJson("""
                {"candidates":[{"content":{"parts":[{"text":"Yes"}],"role":"model"},"finishReason":"STOP",
                   "logprobsResult":{"chosenCandidates":[{"token":"Yes","tokenId":7,"logProbability":-0.01}],"logProbabilitySum":-0.01}}],
                 "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}""");

        ChatResponse response = gemini.provider.complete(call("""
                {"model":"flash","messages":[{"role":"user","content":"Ok?"}],"logprobs":true}"""));

        assertThat(response.body().at("/choices/0/logprobs/content")).isEqualTo(json("""
                [{"token":"Yes","logprob":-0.01,"bytes":[89,101,115],"top_logprobs":[]}]"""));
    }

    @Test
    void textAnswerBecomesAChatCompletion() {
        gemini.answerJson("""
                {
                  "candidates": [
                    {
                      "content": {
                        "parts": [
                          {"text": "Paris is the capital "},
                          {"text": "of France."}
                        ],
                        "role": "model"
                      },
                      "finishReason": "STOP",
                      "avgLogprobs": -0.0421
                    }
                  ],
                  "usageMetadata": {
                    "promptTokenCount": 7,
                    "candidatesTokenCount": 8,
                    "totalTokenCount": 15,
                    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 7}],
                    "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 8}]
                  },
                  "modelVersion": "gemini-2.0-flash-001",
                  "responseId": "mJ2vZ8uVFpO7nvgPmP2b0Qo"
                }""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(normalized(response.body())).isEqualTo(json("""
                {"id":"mJ2vZ8uVFpO7nvgPmP2b0Qo","object":"chat.completion","created":%d,"model":"gemini-2.0-flash-001",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris is the capital of France."},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":7,"completion_tokens":8,"total_tokens":15,
                          "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}
                """.formatted(NOW_SECONDS)));
        assertThat(response.usage()).isEqualTo(Usage.reported(7, 8));
        assertThat(response.finishReason()).isEqualTo("stop");
    }

    @Test
    void missingResponseIdAndModelVersionFallBackToGeneratedIdAndUpstreamModel() {
        gemini.answerJson("""
                {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":1,"totalTokenCount":3}}""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(response.body().get("id").asText()).isEqualTo("chatcmpl-1");
        assertThat(response.body().get("model").asText()).isEqualTo("gemini-2.0-flash");
    }

    @Test
    void functionCallsBecomeToolCallsWithGeneratedIdsAndJsonArguments() {
        gemini.answerJson("""
                {
                  "candidates": [
                    {
                      "content": {
                        "parts": [
                          {"functionCall": {"name": "get_weather", "args": {"city": "Paris", "days": 2}}},
                          {"functionCall": {"name": "get_time", "args": {}}}
                        ],
                        "role": "model"
                      },
                      "finishReason": "STOP"
                    }
                  ],
                  "usageMetadata": {"promptTokenCount": 40, "candidatesTokenCount": 12, "totalTokenCount": 52},
                  "modelVersion": "gemini-2.0-flash",
                  "responseId": "fc-1"
                }""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(normalized(response.body().get("choices"))).isEqualTo(json("""
                [{"index":0,
                  "message":{"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}},
                    {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
                  "logprobs":null,"finish_reason":"tool_calls"}]"""));
        assertThat(response.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void thoughtPartsAreLeftOutAndCachedAndThinkingTokensAreCounted() {
        gemini.answerJson("""
                {
                  "candidates": [
                    {
                      "content": {
                        "parts": [
                          {"text": "The user wants a one-word answer.", "thought": true},
                          {"text": "Paris."}
                        ],
                        "role": "model"
                      },
                      "finishReason": "STOP",
                      "index": 0
                    }
                  ],
                  "usageMetadata": {
                    "promptTokenCount": 12000,
                    "candidatesTokenCount": 3,
                    "totalTokenCount": 12250,
                    "cachedContentTokenCount": 10000,
                    "thoughtsTokenCount": 247
                  },
                  "modelVersion": "gemini-2.5-flash",
                  "responseId": "th-1"
                }""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(response.body().at("/choices/0/message/content").asText()).isEqualTo("Paris.");
        assertThat(response.usage()).isEqualTo(new Usage(12000, 250, 10000, 0, 247, false));
        assertThat(normalized(response.body().get("usage"))).isEqualTo(json("""
                {"prompt_tokens":12000,"completion_tokens":250,"total_tokens":12250,
                 "prompt_tokens_details":{"cached_tokens":10000},"completion_tokens_details":{"reasoning_tokens":247}}"""));
    }

    @Test
    void everyCandidateBecomesAChoice() {
        gemini.answerJson("""
                {"candidates":[
                   {"content":{"parts":[{"text":"Red"}],"role":"model"},"finishReason":"STOP"},
                   {"content":{"parts":[{"text":"Blue"}],"role":"model"},"finishReason":"MAX_TOKENS","index":1}],
                 "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},
                 "modelVersion":"gemini-2.0-flash","responseId":"n-2"}""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(normalized(response.body().get("choices"))).isEqualTo(json("""
                [{"index":0,"message":{"role":"assistant","content":"Red"},"logprobs":null,"finish_reason":"stop"},
                 {"index":1,"message":{"role":"assistant","content":"Blue"},"logprobs":null,"finish_reason":"length"}]"""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "STOP, stop",
            "MAX_TOKENS, length",
            "SAFETY, content_filter",
            "RECITATION, content_filter",
            "BLOCKLIST, content_filter",
            "PROHIBITED_CONTENT, content_filter",
            "SPII, content_filter",
            "LANGUAGE, stop",
            "OTHER, stop",
            "MALFORMED_FUNCTION_CALL, stop",
    })
    void geminiFinishReasonMapsToOpenAiFinishReason(String gemini, String openAi) {
        this.gemini.answerJson("""
                {"candidates":[{"content":{"parts":[{"text":"partial"}],"role":"model"},"finishReason":"%s"}],
                 "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1,"totalTokenCount":6},
                 "modelVersion":"gemini-2.0-flash","responseId":"r"}""".formatted(gemini));

        ChatResponse response = this.gemini.provider.complete(call(HI));

        assertThat(response.finishReason()).isEqualTo(openAi);
        assertThat(response.body().at("/choices/0/finish_reason").asText()).isEqualTo(openAi);
    }

    @Test
    void safetyStopWithoutContentIsContentFilterWithEmptyText() {
        gemini.answerJson("""
                {"candidates":[{"finishReason":"SAFETY","safetyRatings":[
                   {"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]}],
                 "usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},
                 "modelVersion":"gemini-2.0-flash","responseId":"s-1"}""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(response.finishReason()).isEqualTo("content_filter");
        assertThat(response.body().at("/choices/0/message/content").asText()).isEmpty();
        assertThat(response.usage()).isEqualTo(Usage.reported(9, 0));
    }

    @Test
    void blockedPromptIsContentFilterWithEmptyContent() {
        gemini.answerJson("""
                {
                  "promptFeedback": {
                    "blockReason": "SAFETY",
                    "safetyRatings": [
                      {"category": "HARM_CATEGORY_HARASSMENT", "probability": "HIGH"}
                    ]
                  },
                  "usageMetadata": {"promptTokenCount": 11, "totalTokenCount": 11},
                  "modelVersion": "gemini-2.0-flash",
                  "responseId": "blocked-1"
                }""");

        ChatResponse response = gemini.provider.complete(call(HI));

        assertThat(normalized(response.body())).isEqualTo(json("""
                {"id":"blocked-1","object":"chat.completion","created":%d,"model":"gemini-2.0-flash",
                 "choices":[{"index":0,"message":{"role":"assistant","content":""},"logprobs":null,"finish_reason":"content_filter"}],
                 "usage":{"prompt_tokens":11,"completion_tokens":0,"total_tokens":11,
                          "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}
                """.formatted(NOW_SECONDS)));
        assertThat(response.finishReason()).isEqualTo("content_filter");
        assertThat(response.usage()).isEqualTo(Usage.reported(11, 0));
    }
}
