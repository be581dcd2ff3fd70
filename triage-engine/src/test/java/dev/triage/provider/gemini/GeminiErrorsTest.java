package dev.triage.provider.gemini;

import static dev.triage.provider.gemini.FakeGemini.API_KEY;
import static dev.triage.provider.gemini.FakeGemini.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gemini's error answers, mapped to Triage's error model. */
class GeminiErrorsTest {

    private static final String HI = """
            {"model":"flash","messages":[{"role":"user","content":"Hi"}]}""";

    private final FakeGemini gemini = new FakeGemini();

    @AfterEach
    void stop() {
        gemini.close();
    }

    private ProviderException completeFails() {
        return catchThrowableOfType(ProviderException.class, () -> gemini.provider.complete(call(HI)));
    }

    @Test
    void resourceExhaustedIsRateLimitedWithTheRetryInfoDelay() {
        gemini.answerError(429, """
                {
                  "error": {
                    "code": 429,
                    "message": "You exceeded your current quota, please check your plan and billing details.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 15\\nPlease retry in 13.382176934s.",
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [
                      {
                        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [
                          {
                            "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                            "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                            "quotaDimensions": {"location": "global", "model": "gemini-2.0-flash"},
                            "quotaValue": "15"
                          }
                        ]
                      },
                      {
                        "@type": "type.googleapis.com/google.rpc.Help",
                        "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]
                      },
                      {
                        "@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": "13.382176934s"
                      }
                    ]
                  }
                }""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.upstreamStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(13, 382_176_934));
        assertThat(e.getMessage()).startsWith("gemini: RESOURCE_EXHAUSTED: You exceeded your current quota");
    }

    @Test
    void retryAfterHeaderWinsOverTheBody() {
        gemini.answer(new MockResponse.Builder()
                .code(429)
                .setHeader("content-type", "application/json; charset=UTF-8")
                .setHeader("retry-after", "7")
                .body("""
                        {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
                          "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}""")
                .build());

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.getMessage()).isEqualTo("gemini: RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).");
    }

    @Test
    void rateLimitWithoutAnyDelayHasNoRetryAfter() {
        gemini.answerError(429, """
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isNull();
    }

    @Test
    void unavailableIsOverloaded() {
        gemini.answerError(503, """
                {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(e.upstreamStatus()).isEqualTo(503);
        assertThat(e.getMessage()).isEqualTo("gemini: UNAVAILABLE: The model is overloaded. Please try again later.");
    }

    @Test
    void internalIsServerError() {
        gemini.answerError(500, """
                {"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.upstreamStatus()).isEqualTo(500);
        assertThat(e.getMessage()).startsWith("gemini: INTERNAL: An internal error has occurred.");
    }

    @Test
    void invalidApiKeyIsAuthAndTheKeyNeverAppearsInTheMessage() {
        gemini.answerError(400, """
                {
                  "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key. (key %s)",
                    "status": "INVALID_ARGUMENT",
                    "details": [
                      {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "API_KEY_INVALID",
                        "domain": "googleapis.com",
                        "metadata": {"service": "generativelanguage.googleapis.com"}
                      },
                      {
                        "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                        "locale": "en-US",
                        "message": "API key not valid. Please pass a valid API key."
                      }
                    ]
                  }
                }""".formatted(API_KEY));

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
        assertThat(e.upstreamStatus()).isEqualTo(400);
        assertThat(e.getMessage())
                .startsWith("gemini: INVALID_ARGUMENT: API key not valid. Please pass a valid API key.")
                .doesNotContain(API_KEY);
    }

    @Test
    void permissionDeniedIsAuth() {
        gemini.answerError(403, """
                {"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}""");

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.AUTH);
    }

    @Test
    void tokenCountOverTheLimitIsContextTooLong() {
        gemini.answerError(400, """
                {"error":{"code":400,"message":"The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
        assertThat(e.getMessage()).isEqualTo(
                "gemini: INVALID_ARGUMENT: The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).");
    }

    @Test
    void otherInvalidArgumentIsBadRequest() {
        gemini.answerError(400, """
                {"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified\\n","status":"INVALID_ARGUMENT"}}""");

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    }

    @Test
    void unknownModelIsBadRequest() {
        gemini.answerError(404, """
                {"error":{"code":404,"message":"models/gemini-9-flash is not found for API version v1beta, or is not supported for generateContent.","status":"NOT_FOUND"}}""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.upstreamStatus()).isEqualTo(404);
    }

    @ParameterizedTest(name = "HTTP {0} with an INVALID_ARGUMENT body -> {1}")
    @CsvSource({"500, SERVER_ERROR", "503, OVERLOADED", "429, RATE_LIMITED", "401, AUTH",
            "403, AUTH", "504, TIMEOUT"})
    void theHttpStatusDecidesTheKindWhateverTheBodySays(int status, ErrorKind kind) {
        gemini.answerError(status, """
                {"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}""");

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo("gemini: INVALID_ARGUMENT: Request contains an invalid argument.");
    }

    @Test
    void aServerErrorWhoseBodySaysTheInputIsTooLongIsStillAServerError() {
        gemini.answerError(500, """
                {"error":{"code":400,"message":"The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""");

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    }

    @Test
    void deadlineExceededIsTimeout() {
        gemini.answerError(504, """
                {"error":{"code":504,"message":"The request timed out. Please try again.","status":"DEADLINE_EXCEEDED"}}""");

        assertThat(completeFails().kind()).isEqualTo(ErrorKind.TIMEOUT);
    }

    @Test
    void errorWithoutAGoogleBodyFallsBackToTheHttpStatus() {
        gemini.answer(new MockResponse.Builder()
                .code(502)
                .setHeader("content-type", "text/html")
                .body("<html><body>Bad Gateway</body></html>")
                .build());

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.getMessage()).isEqualTo("gemini: HTTP 502: <html><body>Bad Gateway</body></html>");
    }

    @Test
    void streamRequestErrorsAreMappedTheSameWay() {
        gemini.answerError(429, """
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
                  "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}}""");

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> gemini.provider.stream(call(HI), chunk -> { }));

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void requestGeminiCannotExpressIsBadRequestWithoutCallingUpstream() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> gemini.provider.complete(call("""
                {"messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"call_unknown","content":"42"}]}""")));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.getMessage()).isEqualTo("gemini: tool message answers unknown tool_call_id 'call_unknown'");
        assertThat(gemini.server.getRequestCount()).isZero();
    }

    @Test
    void unreachableUpstreamIsAConnectionErrorNamingTheProvider() {
        gemini.close();

        ProviderException e = completeFails();

        assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
        assertThat(e.getMessage()).startsWith("gemini: ");
    }
}
