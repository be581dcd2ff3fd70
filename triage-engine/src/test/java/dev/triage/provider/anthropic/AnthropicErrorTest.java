package dev.triage.provider.anthropic;

import static dev.triage.provider.anthropic.FakeAnthropic.HELLO_REQUEST;
import static dev.triage.provider.anthropic.FakeAnthropic.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How Anthropic's HTTP error answers become {@link ProviderException}s. */
class AnthropicErrorTest {

    private final FakeAnthropic anthropic = new FakeAnthropic();

    @AfterEach
    void stop() {
        anthropic.close();
    }

    private static String errorBody(String type, String message) {
        return """
                {"type":"error","error":{"type":"%s","message":"%s"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""".formatted(type, message);
    }

    private ProviderException completeFails() {
        return catchThrowableOfType(ProviderException.class, () -> anthropic.provider.complete(call(HELLO_REQUEST)));
    }

    @Test
    void overloaded529IsOverloaded() {
        anthropic.answer(529, errorBody("overloaded_error", "Overloaded"));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(e.upstreamStatus()).isEqualTo(529);
        assertThat(e.getMessage()).isEqualTo("anthropic-main: Overloaded (overloaded_error, HTTP 529)");
        assertThat(e.retryAfter()).isNull();
    }

    @Test
    void rateLimit429CarriesRetryAfter() {
        anthropic.answer(429, errorBody("rate_limit_error",
                        "This request would exceed the rate limit for your organization of 50 requests per minute."),
                "retry-after", "7",
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "0");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.getMessage()).isEqualTo("anthropic-main: This request would exceed the rate limit for your "
                + "organization of 50 requests per minute. (rate_limit_error, HTTP 429)");
    }

    @Test
    void unauthorized401IsAuthAndNeverShowsTheKey() {
        anthropic.answer(401, errorBody("authentication_error", "invalid x-api-key " + FakeAnthropic.API_KEY));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
        assertThat(e.getMessage())
                .doesNotContain(FakeAnthropic.API_KEY)
                .isEqualTo("anthropic-main: invalid x-api-key [redacted] (authentication_error, HTTP 401)");
    }

    @Test
    void promptTooLongIsContextTooLongNotABadRequest() {
        anthropic.answer(400, errorBody("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
        assertThat(e.upstreamStatus()).isEqualTo(400);
    }

    @Test
    void streamingCallMapsErrorAnswersBeforeTheStreamStarts() {
        anthropic.answer(529, errorBody("overloaded_error", "Overloaded"));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> anthropic.provider.stream(call(HELLO_REQUEST), chunk -> { }));

        assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource({
            "400, invalid_request_error, 'max_tokens: Field required', BAD_REQUEST",
            "400, invalid_request_error, 'input length and `max_tokens` exceed context limit: 197000 + 8192 > 200000', CONTEXT_TOO_LONG",
            "403, permission_error, 'Your API key does not have permission to use the specified resource.', AUTH",
            "404, not_found_error, 'model: claude-nonexistent', BAD_REQUEST",
            "413, request_too_large, 'Request exceeds the maximum allowed number of bytes.', CONTEXT_TOO_LONG",
            "500, api_error, 'Internal server error', SERVER_ERROR",
            "529, overloaded_error, Overloaded, OVERLOADED",
            "429, rate_limit_error, 'Number of request tokens has exceeded your per-minute rate limit', RATE_LIMITED",
    })
    void everyAnthropicErrorTypeMapsToItsKind(int status, String type, String message, ErrorKind kind) {
        anthropic.answer(status, errorBody(type, message));

        assertThat(completeFails().kind()).isEqualTo(kind);
    }

    @ParameterizedTest(name = "HTTP {0} with an invalid_request_error body -> {1}")
    @CsvSource({"500, SERVER_ERROR", "502, SERVER_ERROR", "529, OVERLOADED", "429, RATE_LIMITED", "401, AUTH", "403, AUTH"})
    void theHttpStatusDecidesTheKindWhateverTheBodySays(int status, ErrorKind kind) {
        anthropic.answer(status, errorBody("invalid_request_error", "messages: text content blocks must be non-empty"));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo("anthropic-main: messages: text content blocks must be non-empty"
                + " (invalid_request_error, HTTP " + status + ")");
    }

    @Test
    void aServerErrorWhoseBodySaysThePromptIsTooLongIsStillAServerError() {
        anthropic.answer(500, errorBody("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"));

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    }

    @Test
    void outOfCredit402IsAnAuthProblemOfTheGateway() {
        anthropic.answer(402, errorBody("billing_error", "Your credit balance is too low to access the Anthropic API."));

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.AUTH);
    }

    @Test
    void nonJsonErrorPageFallsBackToTheStatus() {
        anthropic.answer(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.getMessage()).isEqualTo("anthropic-main: upstream error (HTTP 502)");
    }
}
