package dev.triage.provider.gemini;

import static dev.triage.provider.gemini.FakeGemini.sse;

import dev.triage.chat.Usage;
import dev.triage.provider.DrippingSse;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderContract;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The Gemini provider against a Gemini API on localhost. */
class GeminiProviderContractTest extends ProviderContract {

    private static final String HELLO_USAGE = usage(19, 4, 0);

    private final FakeGemini gemini = new FakeGemini();

    @AfterEach
    void stop() {
        gemini.close();
    }

    @Override
    protected ProviderFactory factory() {
        return new GeminiFactory();
    }

    @Override
    protected ProviderSettings settings() {
        return new ProviderSettings("gemini-contract", URI.create(gemini.server.url("/").toString()), FakeGemini.API_KEY,
                Map.of("x-team", "search"), null);
    }

    @Override
    protected Reply upstreamAnswers() {
        gemini.answerJson(response(candidate(0, "{\"text\":\"Hello there!\"}", "STOP"), HELLO_USAGE));
        return HELLO;
    }

    @Override
    protected Reply upstreamStreams() {
        gemini.answerStream(response(candidate(0, "{\"text\":\"Hello\"}", null), usage(19, 0, 0)),
                response(candidate(0, "{\"text\":\" there!\"}", "STOP"), HELLO_USAGE));
        return HELLO;
    }

    /** Gemini ends a function call with {@code STOP} (there is no tool finish reason); arguments are a JSON object. */
    @Override
    protected void upstreamCallsTool(boolean streamed) {
        String answer = response(candidate(0, "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"location\":\"Paris\"}}}", "STOP"),
                usage(41, 6, 0));
        if (streamed) {
            gemini.answerStream(answer);
        } else {
            gemini.answerJson(answer);
        }
    }

    @Override
    protected Usage upstreamAnswersFromCache() {
        gemini.answerJson(response(candidate(0, "{\"text\":\"42\"}", "STOP"), usage(2006, 300, 1920)));
        return new Usage(2006, 300, 1920, 0, 0, false);
    }

    @Override
    protected List<String> upstreamAnswersTwoChoices() {
        gemini.answerJson(response(candidate(0, "{\"text\":\"Hello there!\"}", "STOP") + ","
                + candidate(1, "{\"text\":\"Hi!\"}", "STOP"), usage(9, 6, 0)));
        return List.of("Hello there!", "Hi!");
    }

    @Override
    protected boolean upstreamRefuses(ErrorKind kind) {
        switch (kind) {
            case RATE_LIMITED -> gemini.answerError(429, error(429, "RESOURCE_EXHAUSTED",
                    "Resource has been exhausted (e.g. check quota).",
                    "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + RETRY_AFTER.toSeconds() + "s\"}"));
            case OVERLOADED -> gemini.answerError(503, error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null));
            case SERVER_ERROR -> gemini.answerError(500, error(500, "INTERNAL",
                    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
                    null));
            case AUTH -> gemini.answerError(400, error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                    "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\","
                            + "\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}"));
            case BAD_REQUEST -> gemini.answerError(400, error(400, "INVALID_ARGUMENT",
                    "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \\\"hot\\\"", null));
            case CONTEXT_TOO_LONG -> gemini.answerError(400, error(400, "INVALID_ARGUMENT",
                    "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).", null));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A text fragment every 20 ms, as a long answer arrives. */
    @Override
    protected EndlessStream upstreamStreamsEndlessly() {
        DrippingSse body = new DrippingSse(List.of(sse(response(candidate(0, "{\"text\":\"Hello\"}", null), usage(19, 0, 0)))),
                sse(response(candidate(0, "{\"text\":\" la\"}", null), usage(19, 0, 0))), Duration.ofMillis(20));
        gemini.answer(body.response());
        return body;
    }

    private static String response(String candidates, String usage) {
        return "{\"candidates\":[" + candidates + "],\"usageMetadata\":" + usage
                + ",\"modelVersion\":\"gemini-2.0-flash-001\",\"responseId\":\"ctr-0mJ2vZ8uVFpO7nvgPm\"}";
    }

    private static String candidate(int index, String part, String finishReason) {
        return "{\"content\":{\"parts\":[" + part + "],\"role\":\"model\"}" + (finishReason == null ? "" : ",\"finishReason\":\""
                + finishReason + "\"") + ",\"index\":" + index + "}";
    }

    private static String usage(long prompt, long candidates, long cached) {
        return "{\"promptTokenCount\":" + prompt + (candidates == 0 ? "" : ",\"candidatesTokenCount\":" + candidates)
                + ",\"totalTokenCount\":" + (prompt + candidates) + (cached == 0 ? "" : ",\"cachedContentTokenCount\":" + cached)
                + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":" + prompt + "}]}";
    }

    private static String error(int code, String status, String message, String detail) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\""
                + (detail == null ? "" : ",\"details\":[" + detail + "]") + "}}";
    }
}
