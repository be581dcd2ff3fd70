package dev.triage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A Responses request, checked and translated into the Chat Completions request the gateway routes. */
class ResponsesRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode chat(String responsesRequest) {
        return ResponsesRequest.read(object(responsesRequest)).chat(JSON.createArrayNode());
    }

    @Test
    void everyTranslatedFieldHasItsChatTwin() {
        ObjectNode chat = chat("""
                {"model":"auto","input":"Hi","instructions":"Be terse.","max_output_tokens":300,"reasoning":{"effort":"low","summary":"auto"},
                 "temperature":0.3,"top_p":0.9,"parallel_tool_calls":false,"metadata":{"task_type":"chat"},"user":"u-1",
                 "tool_choice":{"type":"function","name":"lookup"},"text":{"format":{"type":"json_object"}},
                 "tools":[{"type":"function","name":"lookup","description":"Find","parameters":{"type":"object"},"strict":true}],
                 "truncation":"auto","include":["reasoning.encrypted_content"],"store":false}""");
        assertThat(chat).isEqualTo(object("""
                {"model":"auto","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],
                 "temperature":0.3,"top_p":0.9,"parallel_tool_calls":false,"metadata":{"task_type":"chat"},"user":"u-1",
                 "max_completion_tokens":300,"reasoning_effort":"low",
                 "tools":[{"type":"function","function":{"name":"lookup","description":"Find","parameters":{"type":"object"},"strict":true}}],
                 "tool_choice":{"type":"function","function":{"name":"lookup"}},"response_format":{"type":"json_object"}}"""));
    }

    @Test
    void parallelFunctionCallsJoinOneAssistantMessageAndTheirOutputsFollow() {
        ObjectNode chat = chat("""
                {"model":"auto","input":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"type":"function_call","call_id":"c1","name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                  {"type":"function_call","call_id":"c2","name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"},
                  {"type":"function_call_output","call_id":"c1","output":"21"},
                  {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"2"},{"type":"input_text","text":"5"}]},
                  {"type":"reasoning","id":"rs_1","summary":[]}]}""");
        assertThat(chat.get("messages")).isEqualTo(object("""
                {"m":[{"role":"user","content":"Weather in Paris and Rome?"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"c1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"c2","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"21"},
                 {"role":"tool","tool_call_id":"c2","content":"25"}]}""").get("m"));
    }

    @Test
    void historyComesAfterTheInstructionsAndBeforeTheNewInput() {
        ResponsesRequest request = ResponsesRequest.read(object("{\"model\":\"auto\",\"instructions\":\"New rules.\",\"input\":\"Next\"}"));
        ArrayNode history = (ArrayNode) object("""
                {"h":[{"type":"message","role":"user","content":[{"type":"input_text","text":"First"}]},
                      {"type":"message","id":"msg_1","role":"assistant","status":"completed",
                       "content":[{"type":"output_text","text":"Answer","annotations":[]}]}]}""").get("h");
        JsonNode messages = request.chat(history).get("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("system", "user", "assistant", "user");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("Answer");
        assertThat(request.input()).hasSize(1);
    }

    @Test
    void aStreamAlwaysAsksTheUpstreamForUsage() {
        assertThat(chat("{\"model\":\"auto\",\"input\":\"Hi\",\"stream\":true}").get("stream_options"))
                .isEqualTo(object("{\"include_usage\":true}"));
    }

    @Test
    void refusalsNameTheResponsesField() {
        assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"input\":\"Hi\",\"tools\":[{\"type\":\"file_search\"}]}"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("unsupported_tool");
                    assertThat(e.getMessage()).contains("built-in tool 'file_search' is not supported");
                });
        assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("'input[0].call_id' must be a string"));
        assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"input\":\"Hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\"}}}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("'text.format' of type json_schema"));
        assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"input\":\"Hi\",\"reasoning\":{\"effort\":\"extreme\"}}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("'reasoning.effort'"));
        assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("unsupported_content"));
        assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"input\":\"Hi\",\"max_output_tokens\":0}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("'max_output_tokens'"));
    }
}
