package dev.triage.provider.anthropic;

import static dev.triage.provider.anthropic.FakeAnthropic.HELLO_REQUEST;
import static dev.triage.provider.anthropic.FakeAnthropic.call;
import static dev.triage.provider.anthropic.FakeAnthropic.json;
import static dev.triage.provider.anthropic.FakeAnthropic.wire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.chat.ChatResponse;
import dev.triage.chat.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a non-streaming Anthropic {@code message} comes back as an OpenAI {@code chat.completion}. */
class AnthropicResponseTest {

    private final FakeAnthropic anthropic = new FakeAnthropic();

    @AfterEach
    void stop() {
        anthropic.close();
    }

    @Test
    void textMessageWithPromptCacheUsageBecomesAChatCompletion() {
        anthropic.answer(200, """
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Hello! "},{"type":"text","text":"How can I help?"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":21,"cache_creation_input_tokens":188,"cache_read_input_tokens":1500,
                   "cache_creation":{"ephemeral_5m_input_tokens":188,"ephemeral_1h_input_tokens":0},
                   "output_tokens":12,"service_tier":"standard"}}
                """);

        ChatResponse response = anthropic.provider.complete(call(HELLO_REQUEST));

        assertThat(response.usage()).isEqualTo(new Usage(21 + 188 + 1500, 12, 1500, 188, 0, false));
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(wire(response.body())).isEqualTo(json("""
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","object":"chat.completion","created":%d,
                 "model":"claude-sonnet-4-5-20250929",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?"},
                   "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1709,"completion_tokens":12,"total_tokens":1721,
                   "prompt_tokens_details":{"cached_tokens":1500}}}
                """.formatted(FakeAnthropic.NOW_SECONDS)));
    }

    @Test
    void toolUseBlocksBecomeToolCallsWithArgumentsAsAJsonString() {
        anthropic.answer(200, """
                {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[
                   {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA","unit":"celsius"}},
                   {"type":"tool_use","id":"toolu_01B7c","name":"get_time","input":{}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":384,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":91}}
                """);

        ChatResponse response = anthropic.provider.complete(call(HELLO_REQUEST));

        assertThat(response.finishReason()).isEqualTo("tool_calls");
        assertThat(response.body().get("choices").get(0).get("message")).isEqualTo(json("""
                {"role":"assistant","content":null,"tool_calls":[
                  {"id":"toolu_01A09q90qw90lq917835lq9","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"location\\":\\"San Francisco, CA\\",\\"unit\\":\\"celsius\\"}"}},
                  {"id":"toolu_01B7c","type":"function","function":{"name":"get_time","arguments":"{}"}}]}
                """));
        assertThat(response.usage()).isEqualTo(new Usage(384, 91, 0, 0, 0, false));
    }

    @Test
    void textBeforeToolUseIsKeptAsContent() {
        anthropic.answer(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"I'll look that up."},
                   {"type":"tool_use","id":"toolu_01","name":"search","input":{"q":"triage"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":20}}
                """);

        ChatResponse response = anthropic.provider.complete(call(HELLO_REQUEST));

        assertThat(response.body().get("choices").get(0).get("message").get("content").asText()).isEqualTo("I'll look that up.");
        assertThat(response.body().get("choices").get(0).get("message").get("tool_calls")).hasSize(1);
    }

    @Test
    void thinkingIsReportedAsReasoningContentNotAsContentAndKeptSignedInThinkingBlocks() {
        anthropic.answer(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"thinking","thinking":"2+2 is 4.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
                   {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
                   {"type":"text","text":"4"}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":14,"output_tokens":40}}
                """);

        ChatResponse response = anthropic.provider.complete(call(HELLO_REQUEST));

        assertThat(response.body().get("choices").get(0).get("message")).isEqualTo(json("""
                {"role":"assistant","content":"4","reasoning_content":"2+2 is 4.","thinking_blocks":[
                  {"type":"thinking","thinking":"2+2 is 4.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
                  {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"}]}
                """));
        assertThat(response.usage().outputTokens()).isEqualTo(40);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "end_turn, stop",
            "stop_sequence, stop",
            "pause_turn, stop",
            "max_tokens, length",
            "model_context_window_exceeded, length",
            "tool_use, tool_calls",
            "refusal, content_filter",
    })
    void everyStopReasonMapsToItsOpenAiFinishReason(String stopReason, String finishReason) {
        anthropic.answer(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"..."}],"stop_reason":"%s","stop_sequence":null,
                 "usage":{"input_tokens":3,"output_tokens":1}}
                """.formatted(stopReason));

        ChatResponse response = anthropic.provider.complete(call(HELLO_REQUEST));

        assertThat(response.finishReason()).isEqualTo(finishReason);
        assertThat(response.body().get("choices").get(0).get("finish_reason").asText()).isEqualTo(finishReason);
    }
}
