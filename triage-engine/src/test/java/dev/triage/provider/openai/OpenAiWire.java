package dev.triage.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.provider.Deadline;
import dev.triage.provider.ProviderCall;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;

/** What OpenAI's Chat Completions API sends and receives, byte for byte as it appears on the wire. */
public final class OpenAiWire {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** A client request with Triage's model id, Triage's task hint and a spread of pass-through parameters. */
    public static final String CLIENT_REQUEST = """
            {"model":"triage/smart","messages":[{"role":"system","content":"You are terse."},\
            {"role":"user","content":"Say hello"}],"temperature":0.2,"top_p":0.9,"max_completion_tokens":64,\
            "stop":["\\n\\n"],"seed":7,"user":"u-42","n":1,"presence_penalty":0.1,"frequency_penalty":0.3,\
            "logprobs":true,"top_logprobs":2,"response_format":{"type":"json_object"},"reasoning_effort":"low",\
            "metadata":{"task_type":"chat","team":"search"}}""";

    public static final String TOOLS_REQUEST = """
            {"model":"triage/smart","messages":[{"role":"user","content":"Weather in Paris?"}],\
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",\
            "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}],\
            "tool_choice":"auto","parallel_tool_calls":false}""";

    public static final String COMPLETION_TEXT = """
            {
              "id": "chatcmpl-BxT8aGc1f6Ye0kD5xJz9QbYk3Lm2N",
              "object": "chat.completion",
              "created": 1753443000,
              "model": "gpt-4o-mini-2024-07-18",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "Hello there!",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 4,
                "total_tokens": 23,
                "prompt_tokens_details": {
                  "cached_tokens": 0,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 0,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": "fp_34a54ae93c"
            }
            """;

    public static final String COMPLETION_TOOL_CALL = """
            {
              "id": "chatcmpl-BxT9kQv2pR7sW1uY4tZ6aB8cD0eF",
              "object": "chat.completion",
              "created": 1753443061,
              "model": "gpt-4o-2024-08-06",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": null,
                    "tool_calls": [
                      {
                        "id": "call_Zq3mA8kXbL1vT9nR2cE5wYhJ",
                        "type": "function",
                        "function": {
                          "name": "get_weather",
                          "arguments": "{\\"location\\":\\"Paris\\"}"
                        }
                      }
                    ],
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "tool_calls"
                }
              ],
              "usage": {
                "prompt_tokens": 62,
                "completion_tokens": 15,
                "total_tokens": 77,
                "prompt_tokens_details": {
                  "cached_tokens": 0,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 0,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": "fp_07871e2ad8"
            }
            """;

    /** A reasoning model answering a long, mostly cached prompt. */
    public static final String COMPLETION_REASONING_CACHED = """
            {
              "id": "chatcmpl-BxTA3nM5bV7cX9zL1kJ3hG5fD7sA",
              "object": "chat.completion",
              "created": 1753443122,
              "model": "o4-mini-2025-04-16",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "42",
                    "refusal": null,
                    "annotations": []
                  },
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 2006,
                "completion_tokens": 300,
                "total_tokens": 2306,
                "prompt_tokens_details": {
                  "cached_tokens": 1920,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 192,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": null
            }
            """;

    public static final String USAGE_TEXT_STREAM = """
            {"prompt_tokens":19,"completion_tokens":4,"total_tokens":23,\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""";

    public static final String USAGE_TOOL_STREAM = """
            {"prompt_tokens":62,"completion_tokens":15,"total_tokens":77,\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""";

    /** One {@code chat.completion.chunk} event as OpenAI frames it when {@code include_usage} is on. */
    public static String chunk(String choices, String usage) {
        return "data: {\"id\":\"chatcmpl-BxT8aGc1f6Ye0kD5xJz9QbYk3Lm2N\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1753443000,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_34a54ae93c\",\"choices\":" + choices + ",\"usage\":" + usage + "}\n\n";
    }

    public static final String DONE = "data: [DONE]\n\n";

    /** "Hello there!" streamed: role-only first delta, content deltas (one with logprobs), finish, usage, [DONE]. */
    public static final List<String> TEXT_STREAM = List.of(
            chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]", "null"),
            chunk("[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":{\"content\":[{\"token\":\"Hello\",\"logprob\":-0.0009,"
                    + "\"bytes\":[72,101,108,108,111],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}]", "null"),
            chunk("[{\"index\":0,\"delta\":{\"content\":\" there!\"},\"logprobs\":null,\"finish_reason\":null}]", "null"),
            chunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]", "null"),
            chunk("[]", USAGE_TEXT_STREAM),
            DONE);

    /** A get_weather tool call streamed as OpenAI does: id and name first, then argument fragments. */
    public static final List<String> TOOL_STREAM = List.of(
            chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                    + "\"id\":\"call_Zq3mA8kXbL1vT9nR2cE5wYhJ\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"arguments\":\"\"}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]", "null"),
            chunk(argumentDelta("{\\\""), "null"),
            chunk(argumentDelta("location"), "null"),
            chunk(argumentDelta("\\\":\\\""), "null"),
            chunk(argumentDelta("Paris"), "null"),
            chunk(argumentDelta("\\\"}"), "null"),
            chunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]", "null"),
            chunk("[]", USAGE_TOOL_STREAM),
            DONE);

    private static String argumentDelta(String jsonEscapedFragment) {
        return "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + jsonEscapedFragment
                + "\"}}]},\"logprobs\":null,\"finish_reason\":null}]";
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .setHeader("openai-processing-ms", "412")
                .setHeader("x-request-id", "req_5c1f0f3b2d9e4a7b8c6d5e4f3a2b1c0d")
                .body(body)
                .build();
    }

    public static MockResponse.Builder sse(List<String> events) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .setHeader("x-request-id", "req_5c1f0f3b2d9e4a7b8c6d5e4f3a2b1c0d")
                .body(String.join("", events));
    }

    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ProviderCall call(String requestJson) {
        return new ProviderCall(new ChatRequest(object(requestJson)), "gpt-4o-mini", Deadline.after(Duration.ofSeconds(10)),
                Duration.ofSeconds(5));
    }

    /** The {@code data:} payload of an SSE event, parsed. */
    public static ObjectNode payload(String event) {
        return object(event.substring("data: ".length()).strip());
    }

    private OpenAiWire() {
    }
}
