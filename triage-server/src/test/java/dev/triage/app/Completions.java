package dev.triage.app;

import dev.triage.provider.openai.OpenAiWire;
import mockwebserver3.MockResponse;

/** OpenAI {@code chat.completion} answers with chosen text (and token logprobs), as a fake upstream sends them. */
final class Completions {

    private Completions() {
    }

    static MockResponse text(String content) {
        return OpenAiWire.json(200, body(content, "null", "stop"));
    }

    /** An answer cut off at the token limit ({@code finish_reason: length}). */
    static MockResponse cutOff(String content) {
        return OpenAiWire.json(200, body(content, "null", "length"));
    }

    /** An answer whose tokens all have {@code logprob}. */
    static MockResponse withLogprobs(String content, double logprob) {
        String tokens = "{\"content\":[{\"token\":\"A\",\"logprob\":" + logprob + ",\"bytes\":[65],\"top_logprobs\":[]},"
                + "{\"token\":\"B\",\"logprob\":" + logprob + ",\"bytes\":[66],\"top_logprobs\":[]}],\"refusal\":null}";
        return OpenAiWire.json(200, body(content, tokens, "stop"));
    }

    private static String body(String content, String logprobs, String finishReason) {
        return """
                {"id":"chatcmpl-Cq1","object":"chat.completion","created":1753443000,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null,"annotations":[]},
                 "logprobs":%s,"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":19,"completion_tokens":4,"total_tokens":23,
                 "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
                 "service_tier":"default","system_fingerprint":"fp_34a54ae93c"}""".formatted(
                OpenAiWire.JSON.valueToTree(content).toString(), logprobs, finishReason);
    }
}
