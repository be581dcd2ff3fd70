package dev.triage.provider.anthropic;

import static dev.triage.provider.anthropic.FakeAnthropic.event;

import dev.triage.chat.Usage;
import dev.triage.provider.DrippingSse;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderContract;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The Anthropic provider against a Messages API on localhost. */
class AnthropicProviderContractTest extends ProviderContract {

    private static final String PING = event("ping", "{\"type\": \"ping\"}");
    private static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    private final FakeAnthropic anthropic = new FakeAnthropic();

    @AfterEach
    void stop() {
        anthropic.close();
    }

    @Override
    protected ProviderFactory factory() {
        return new AnthropicFactory();
    }

    @Override
    protected ProviderSettings settings() {
        return new ProviderSettings(FakeAnthropic.PROVIDER, anthropic.baseUrl(), FakeAnthropic.API_KEY,
                Map.of("anthropic-beta", "token-efficient-tools-2025-02-19"), null);
    }

    @Override
    protected Reply upstreamAnswers() {
        anthropic.answer(200, message("[{\"type\":\"text\",\"text\":\"Hello there!\"}]", "end_turn", usage(19, 0, 0, 4)));
        return HELLO;
    }

    @Override
    protected Reply upstreamStreams() {
        anthropic.answerStream(messageStart(19) + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}") + PING
                + delta(0, "{\"type\":\"text_delta\",\"text\":\"Hello\"}") + delta(0, "{\"type\":\"text_delta\",\"text\":\" there!\"}")
                + blockStop(0) + messageDelta("end_turn", 4) + MESSAGE_STOP);
        return HELLO;
    }

    @Override
    protected void upstreamCallsTool(boolean streamed) {
        if (!streamed) {
            anthropic.answer(200, message("[{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\","
                    + "\"input\":{\"location\":\"Paris\"}}]", "tool_use", usage(402, 0, 0, 38)));
            return;
        }
        anthropic.answerStream(messageStart(402)
                + blockStart(0, "{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_weather\",\"input\":{}}")
                + delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}")
                + delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"Par\"}")
                + delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"is\\\"}\"}")
                + blockStop(0) + messageDelta("tool_use", 38) + MESSAGE_STOP);
    }

    /** 1,920 prompt tokens read from the cache and 248 written to it, besides 86 uncached. */
    @Override
    protected Usage upstreamAnswersFromCache() {
        anthropic.answer(200, message("[{\"type\":\"text\",\"text\":\"42\"}]", "end_turn", usage(86, 248, 1920, 300)));
        return new Usage(86 + 248 + 1920, 300, 1920, 248, 0, false);
    }

    @Override
    protected boolean upstreamRefuses(ErrorKind kind) {
        switch (kind) {
            case RATE_LIMITED -> anthropic.answer(429, error("rate_limit_error",
                    "This request would exceed the rate limit for your organization of 50 requests per minute."),
                    "retry-after", String.valueOf(RETRY_AFTER.toSeconds()));
            case OVERLOADED -> anthropic.answer(529, error("overloaded_error", "Overloaded"));
            case SERVER_ERROR -> anthropic.answer(500, error("api_error", "Internal server error"));
            case AUTH -> anthropic.answer(401, error("authentication_error", "invalid x-api-key"));
            case BAD_REQUEST -> anthropic.answer(400, error("invalid_request_error", "temperature: range: 0..1"));
            case CONTEXT_TOO_LONG -> anthropic.answer(400, error("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Anthropic keeps a quiet stream open with {@code ping} events. */
    @Override
    protected EndlessStream upstreamStreamsEndlessly() {
        DrippingSse body = new DrippingSse(List.of(messageStart(19), blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")), PING,
                Duration.ofMillis(20));
        anthropic.answer(body.response());
        return body;
    }

    private static String message(String content, String stopReason, String usage) {
        return "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + FakeAnthropic.MODEL
                + "\",\"content\":" + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,\"usage\":" + usage + "}";
    }

    private static String usage(long input, long cacheWrite, long cacheRead, long output) {
        return "{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheWrite + ",\"cache_read_input_tokens\":" + cacheRead
                + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" + cacheWrite + ",\"ephemeral_1h_input_tokens\":0},\"output_tokens\":"
                + output + ",\"service_tier\":\"standard\"}";
    }

    private static String messageStart(long input) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01HCEpkPWgyvYBDNqfwKDtQf\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"" + FakeAnthropic.MODEL + "\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":" + usage(input, 0, 0, 1) + "}}");
    }

    private static String blockStart(int index, String block) {
        return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");
    }

    private static String delta(int index, String delta) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    private static String blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static String messageDelta(String stopReason, long output) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}");
    }

    private static String error(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    }
}
