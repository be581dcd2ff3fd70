package dev.triage.provider.openai;

import static dev.triage.provider.openai.OpenAiWire.CLIENT_REQUEST;
import static dev.triage.provider.openai.OpenAiWire.call;
import static dev.triage.provider.openai.OpenAiWire.json;
import static dev.triage.provider.openai.OpenAiWire.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.triage.chat.ChatRequest;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.http.UpstreamHttp;
import dev.triage.testing.UnopenablePort;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiProviderErrorsTest {

    private static final UpstreamHttp HTTP = UpstreamHttp.withDefaults();
    // Shaped like no public provider's key, so only the provider's own registration can hide it.
    private static final String KEY = "gw-7Qx2Lm9Vt4Rb8Nc1";

    private final MockWebServer server = new MockWebServer();
    private OpenAiProvider provider;

    @BeforeEach
    void start() throws Exception {
        server.start();
        provider = new OpenAiProvider("openai", server.url("/v1").toString(), KEY, Map.of(), HTTP);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rateLimitWithRetryAfterIsRateLimitedWithThatDelay() {
        server.enqueue(json(429, """
                {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-triage on tokens per min (TPM): \
                Limit 200000, Used 199500, Requested 1200. Please try again in 210ms. Visit \
                https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,\
                "code":"rate_limit_exceeded"}}""").newBuilder()
                .setHeader("retry-after", "2")
                .setHeader("x-ratelimit-reset-tokens", "210ms")
                .build());

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.upstreamStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.getMessage()).startsWith("openai: Rate limit reached for gpt-4o-mini in organization org-triage");
    }

    @Test
    void exhaustedQuotaIsRateLimitedAndSaysQuota() {
        server.enqueue(json(429, """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more \
                information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",\
                "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isNull();
        assertThat(e.getMessage()).startsWith("openai: quota exhausted: You exceeded your current quota");
    }

    @Test
    void internalServerErrorIsServerError() {
        server.enqueue(json(500, """
                {"error":{"message":"The server had an error while processing your request. Sorry about that!",\
                "type":"server_error","param":null,"code":null}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.upstreamStatus()).isEqualTo(500);
        assertThat(e.getMessage()).isEqualTo("openai: The server had an error while processing your request. Sorry about that!");
    }

    @Test
    void serviceUnavailableIsOverloaded() {
        server.enqueue(json(503, """
                {"error":{"message":"The server is overloaded or not ready yet.","type":"server_error","param":null,\
                "code":null}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(e.getMessage()).isEqualTo("openai: The server is overloaded or not ready yet.");
    }

    @Test
    void rejectedKeyIsAuthAndTheMessageNeverContainsTheKeyEvenWhenEchoed() {
        server.enqueue(json(401, """
                {"error":{"message":"Incorrect API key provided: %s. You can find your API key at \
                https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,\
                "code":"invalid_api_key"}}""".formatted(KEY)));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
        assertThat(e.upstreamStatus()).isEqualTo(401);
        assertThat(e.getMessage()).doesNotContain(KEY)
                .isEqualTo("openai: Incorrect API key provided: [redacted]. You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.");
    }

    @Test
    void contextLengthExceededIsContextTooLong() {
        server.enqueue(json(400, """
                {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages \
                resulted in 130412 tokens. Please reduce the length of the messages.","type":"invalid_request_error",\
                "param":"messages","code":"context_length_exceeded"}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
        assertThat(e.upstreamStatus()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("messages");
    }

    @Test
    void theFieldTheUpstreamBlamesIsKeptAsParam() {
        server.enqueue(json(400, """
                {"error":{"message":"Invalid value for 'top_logprobs': must be between 0 and 20.","type":"invalid_request_error",                "param":"top_logprobs","code":"invalid_value"}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.param()).isEqualTo("top_logprobs");
    }

    @Test
    void contextOverflowIsRecognisedFromTheMessageWhenThereIsNoCode() {
        server.enqueue(json(400, """
                {"object":"error","message":"This model's maximum context length is 8192 tokens. However, you requested \
                9000 tokens (8000 in the messages, 1000 in the completion). Please reduce the length of the messages or \
                completion.","type":"BadRequestError","param":null,"code":400}"""));

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
    }

    @Test
    void unknownModelIsBadRequest() {
        server.enqueue(json(404, """
                {"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.",\
                "type":"invalid_request_error","param":null,"code":"model_not_found"}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.upstreamStatus()).isEqualTo(404);
        assertThat(e.param()).isNull();
        assertThat(e.getMessage()).isEqualTo("openai: The model `gpt-9` does not exist or you do not have access to it.");
    }

    @Test
    void ollamaStringErrorIsRead() {
        server.enqueue(json(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}"));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.getMessage()).isEqualTo("openai: model \"llama9\" not found, try pulling it first");
    }

    @Test
    void nonJsonErrorBodyGivesAShortMessageWithTheStatus() {
        server.enqueue(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
                .body("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                        + "<hr><center>cloudflare</center></body></html>").build());

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.upstreamStatus()).isEqualTo(502);
        assertThat(e.getMessage()).isEqualTo("openai: upstream answered HTTP 502 without an OpenAI error body");
    }

    @Test
    void longUpstreamMessagesAreCutToFiveHundredCharacters() {
        String longMessage = "x".repeat(2000);
        server.enqueue(json(400, "{\"error\":{\"message\":\"" + longMessage + "\",\"type\":\"invalid_request_error\"}}"));

        ProviderException e = completeFails();

        assertThat(e.getMessage()).isEqualTo("openai: " + "x".repeat(OpenAiErrors.MAX_MESSAGE_CHARS) + "…");
    }

    @Test
    void errorStatusOnAStreamingCallIsMappedTheSameWay() {
        server.enqueue(json(429, """
                {"error":{"message":"Rate limit reached for requests","type":"requests","param":null,\
                "code":"rate_limit_exceeded"}}""").newBuilder().setHeader("retry-after-ms", "750").build());

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.stream(call(CLIENT_REQUEST), chunk -> { }));

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(750));
        assertThat(e.getMessage()).isEqualTo("openai: Rate limit reached for requests");
    }

    @ParameterizedTest(name = "HTTP {0} with an invalid_request_error body -> {1}")
    @CsvSource({"500, SERVER_ERROR", "503, OVERLOADED", "429, RATE_LIMITED", "401, AUTH",
            "403, AUTH", "402, AUTH"})
    void theHttpStatusDecidesTheKindWhateverTheBodySays(int status, ErrorKind kind) {
        server.enqueue(json(status, """
                {"error":{"message":"Invalid value for 'messages': expected an array.","type":"invalid_request_error",\
                "param":"messages","code":"invalid_value"}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo("openai: Invalid value for 'messages': expected an array.");
    }

    @Test
    void aServerErrorWhoseBodySaysContextLengthExceededIsStillAServerError() {
        server.enqueue(json(500, """
                {"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error",\
                "param":"messages","code":"context_length_exceeded"}}"""));

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    }

    @Test
    void errorObjectInsteadOfACompletionIsMappedAsAnUpstreamError() {
        server.enqueue(json(200, """
                {"error":{"message":"Provider returned error","code":502,"metadata":{"provider_name":"Fireworks"}}}"""));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.upstreamStatus()).isEqualTo(502);
    }

    @Test
    void refusedConnectionIsAConnectionError() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        OpenAiProvider nowhere = new OpenAiProvider("openai", "http://127.0.0.1:" + closedPort + "/v1", KEY, Map.of(), HTTP);

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> nowhere.complete(call(CLIENT_REQUEST)));

        assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
        assertThat(e.upstreamStatus()).isZero();
    }

    @Test
    void passedDeadlineIsNotSentAndTheUpstreamIsNotCalled() {
        ProviderCall late = new ProviderCall(new ChatRequest(object(CLIENT_REQUEST)), "gpt-4o-mini",
                Deadline.after(Duration.ZERO), Duration.ofSeconds(5));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.complete(late));

        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SENT);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void connectionThatNeverOpensBeforeTheDeadlineIsNotSent() {
        try (UnopenablePort blackHole = new UnopenablePort()) {
            assumeThat(blackHole.available()).as("this kernel drops connections to a full accept queue").isTrue();
            OpenAiProvider nowhere = new OpenAiProvider("openai", "http://127.0.0.1:" + blackHole.port() + "/v1", KEY, Map.of(), HTTP);
            ProviderCall call = new ProviderCall(new ChatRequest(object(CLIENT_REQUEST)), "gpt-4o-mini",
                    Deadline.after(Duration.ofMillis(300)), Duration.ofSeconds(5));

            ProviderException e = catchThrowableOfType(ProviderException.class, () -> nowhere.complete(call));

            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SENT);
            assertThat(e.getMessage()).contains("before the call reached the upstream");
        }
    }

    @Test
    void upstreamSlowerThanTheDeadlineIsATimeout() {
        server.enqueue(json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(5, TimeUnit.SECONDS).build());
        ProviderCall call = new ProviderCall(new ChatRequest(object(CLIENT_REQUEST)), "gpt-4o-mini",
                Deadline.after(Duration.ofMillis(300)), Duration.ofSeconds(5));

        long started = System.nanoTime();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.complete(call));

        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    private ProviderException completeFails() {
        return catchThrowableOfType(ProviderException.class, () -> provider.complete(call(CLIENT_REQUEST)));
    }
}
