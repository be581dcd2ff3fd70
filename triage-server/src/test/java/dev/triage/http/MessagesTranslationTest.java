package dev.triage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** An Anthropic Messages request read into the gateway's chat request, field by field. */
class MessagesTranslationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode chat(String anthropic) throws Exception {
        return MessagesTranslation.toChat((ObjectNode) JSON.readTree(anthropic), true);
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void toolResultsBecomeToolMessagesBeforeTheRestOfTheirTurnKeepingTheirMarks() throws Exception {
        ObjectNode out = chat("""
                {"model":"m","max_tokens":10,"messages":[
                  {"role":"user","content":"Weather?"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                                                 {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}]},
                  {"role":"user","content":[{"type":"text","text":"Thanks."},
                    {"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},
                    {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":[{"type":"text","text":"no clock"}],
                     "cache_control":{"type":"ephemeral"}}]}]}
                """);
        assertThat(out.get("messages")).isEqualTo(json("""
                [{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"toolu_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"toolu_1","content":"sunny"},
                 {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"Error: "},
                   {"type":"text","text":"no clock","cache_control":{"type":"ephemeral"}}]},
                 {"role":"user","content":[{"type":"text","text":"Thanks."}]}]
                """));
    }

    @Test
    void systemBlocksImagesToolsAndOptionsMapOntoTheirChatFields() throws Exception {
        ObjectNode out = chat("""
                {"model":"auto","max_tokens":8000,"stream":true,"temperature":0.5,"top_p":0.9,"top_k":40,
                 "stop_sequences":["END"],"metadata":{"user_id":"u-7"},
                 "system":[{"type":"text","text":"Policy.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
                 "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "thinking":{"type":"enabled","budget_tokens":5000},
                 "messages":[{"role":"user","content":[
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                   {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}},
                   {"type":"text","text":"What is this?"}]}]}
                """);
        assertThat(out).isEqualTo(json("""
                {"model":"auto","max_tokens":8000,
                 "messages":[{"role":"system","content":[{"type":"text","text":"Policy.","cache_control":{"type":"ephemeral","ttl":"1h"}}]},
                   {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                     {"type":"image_url","image_url":{"url":"https://example.com/a.jpg"}},{"type":"text","text":"What is this?"}]}],
                 "stream":true,"temperature":0.5,"top_p":0.9,"stop":["END"],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"}},
                   "cache_control":{"type":"ephemeral"}}],
                 "tool_choice":"required","parallel_tool_calls":false,"user":"u-7","reasoning_effort":"medium"}
                """));
    }

    @Test
    void toolChoiceOfANamedToolAndNone() throws Exception {
        String tools = ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]";
        assertThat(chat("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]" + tools
                + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"}}").get("tool_choice"))
                .isEqualTo(json("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"));
        assertThat(chat("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]" + tools
                + ",\"tool_choice\":{\"type\":\"none\"}}").get("tool_choice").asText()).isEqualTo("none");
    }

    @Test
    void onlySignedThinkingIsKeptInTheHistory() throws Exception {
        ObjectNode out = chat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"mine","signature":"EqQB"},
                    {"type":"thinking","thinking":"a GPT's reasoning","signature":""},
                    {"type":"redacted_thinking","data":"EmwK"},{"type":"text","text":"a"}]},
                  {"role":"user","content":"next"}]}
                """);
        assertThat(out.get("messages").get(1)).isEqualTo(json("""
                {"role":"assistant","content":"a","thinking_blocks":[{"type":"thinking","thinking":"mine","signature":"EqQB"},
                  {"type":"redacted_thinking","data":"EmwK"}]}
                """));
    }

    @Test
    void countTokensNeedsNoMaxTokensButMessagesDo() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(MessagesTranslation.toChat(body, false).has("max_tokens")).isFalse();
        assertThatThrownBy(() -> MessagesTranslation.toChat(body, true))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("max_tokens");
                    assertThat(new String(MessagesErrors.body(e))).isEqualTo(
                            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}");
                });
    }

    @Test
    void answersAreToldAsAnthropicMessages() throws Exception {
        ObjectNode completion = (ObjectNode) json("""
                {"id":"chatcmpl-req_1","object":"chat.completion","created":1,"model":"fast",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Done.","reasoning_content":"Think.",
                   "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"not json"}}]},
                   "finish_reason":"length"}],
                 "usage":{"prompt_tokens":100,"completion_tokens":7,"total_tokens":107,"prompt_tokens_details":{"cached_tokens":60}}}
                """);
        assertThat(json(new MessagesDialect(0).answer(completion, new dev.triage.chat.Usage(100, 7, 60, 30, 0, false)).toString())).isEqualTo(json("""
                {"id":"msg_req_1","type":"message","role":"assistant","model":"fast",
                 "content":[{"type":"thinking","thinking":"Think.","signature":""},
                   {"type":"text","text":"Done.","citations":null},
                   {"type":"tool_use","id":"call_1","name":"f","input":{"arguments":"not json"}}],
                 "stop_reason":"max_tokens","stop_sequence":null,
                 "usage":{"input_tokens":10,"cache_creation_input_tokens":30,"cache_read_input_tokens":60,"output_tokens":7}}
                """));
    }
}
