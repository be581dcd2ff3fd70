package dev.triage.provider.openai;

import static dev.triage.provider.openai.OpenAiWire.COMPLETION_REASONING_CACHED;
import static dev.triage.provider.openai.OpenAiWire.COMPLETION_TEXT;
import static dev.triage.provider.openai.OpenAiWire.COMPLETION_TOOL_CALL;
import static dev.triage.provider.openai.OpenAiWire.TEXT_STREAM;
import static dev.triage.provider.openai.OpenAiWire.TOOL_STREAM;
import static dev.triage.provider.openai.OpenAiWire.chunk;
import static dev.triage.provider.openai.OpenAiWire.json;
import static dev.triage.provider.openai.OpenAiWire.sse;

import dev.triage.chat.Usage;
import dev.triage.provider.DrippingSse;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderContract;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The OpenAI provider against a Chat Completions upstream on localhost. */
class OpenAiProviderContractTest extends ProviderContract {

    private static final String TWO_CHOICES = """
            {"id":"chatcmpl-BxTB7pQ2rS4tU6vW8xY0zA1bC3dE","object":"chat.completion","created":1753443180,\
            "model":"gpt-4o-mini-2024-07-18","choices":[\
            {"index":0,"message":{"role":"assistant","content":"Hello there!","refusal":null,"annotations":[]},\
            "logprobs":null,"finish_reason":"stop"},\
            {"index":1,"message":{"role":"assistant","content":"Hi!","refusal":null,"annotations":[]},\
            "logprobs":null,"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":9,"completion_tokens":6,"total_tokens":15,\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,\
            "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_34a54ae93c"}""";

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Override
    protected ProviderFactory factory() {
        return new OpenAiFactory();
    }

    @Override
    protected ProviderSettings settings() {
        return new ProviderSettings("openai-contract", URI.create(server.url("/v1").toString()), "sk-proj-C0ntractKeyA1b2C3d4E5f6",
                Map.of("OpenAI-Organization", "org-triage"), null);
    }

    @Override
    protected Reply upstreamAnswers() {
        server.enqueue(json(200, COMPLETION_TEXT));
        return HELLO;
    }

    @Override
    protected Reply upstreamStreams() {
        server.enqueue(sse(TEXT_STREAM).build());
        return HELLO;
    }

    @Override
    protected void upstreamCallsTool(boolean streamed) {
        server.enqueue(streamed ? sse(TOOL_STREAM).build() : json(200, COMPLETION_TOOL_CALL));
    }

    @Override
    protected Usage upstreamAnswersFromCache() {
        server.enqueue(json(200, COMPLETION_REASONING_CACHED));
        return new Usage(2006, 300, 1920, 0, 192, false);
    }

    @Override
    protected List<String> upstreamAnswersTwoChoices() {
        server.enqueue(json(200, TWO_CHOICES));
        return List.of("Hello there!", "Hi!");
    }

    @Override
    protected boolean upstreamRefuses(ErrorKind kind) {
        MockResponse refusal = switch (kind) {
            case RATE_LIMITED -> error(429, "Rate limit reached for gpt-4o-mini in organization org-triage on requests per min (RPM): "
                    + "Limit 500, Used 500, Requested 1.", "requests", "rate_limit_exceeded").newBuilder()
                    .setHeader("retry-after", String.valueOf(RETRY_AFTER.toSeconds())).build();
            case OVERLOADED -> error(503, "The engine is currently overloaded, please try again later.", "server_error", null);
            case SERVER_ERROR -> error(500, "The server had an error while processing your request. Sorry about that!", "server_error", null);
            case AUTH -> error(401, "Incorrect API key provided: sk-proj-****2k3l. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
            case BAD_REQUEST -> error(400, "Invalid value for 'temperature': expected a number between 0 and 2.",
                    "invalid_request_error", "invalid_value");
            case CONTEXT_TOO_LONG -> error(400, "This model's maximum context length is 128000 tokens. However, your messages "
                    + "resulted in 130412 tokens. Please reduce the length of the messages.", "invalid_request_error",
                    "context_length_exceeded");
            default -> null;
        };
        if (refusal != null) {
            server.enqueue(refusal);
        }
        return refusal != null;
    }

    @Override
    protected EndlessStream upstreamStreamsEndlessly() {
        DrippingSse body = new DrippingSse(TEXT_STREAM.subList(0, 1),
                chunk("[{\"index\":0,\"delta\":{\"content\":\" la\"},\"logprobs\":null,\"finish_reason\":null}]", "null"),
                Duration.ofMillis(20));
        server.enqueue(body.response());
        return body;
    }

    private static MockResponse error(int status, String message, String type, String code) {
        return json(status, "{\"error\":{\"message\":" + OpenAiWire.JSON.valueToTree(message) + ",\"type\":\"" + type
                + "\",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}");
    }
}
