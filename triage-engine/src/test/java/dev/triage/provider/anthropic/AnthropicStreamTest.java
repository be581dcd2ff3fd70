package dev.triage.provider.anthropic;

import static dev.triage.provider.anthropic.FakeAnthropic.call;
import static dev.triage.provider.anthropic.FakeAnthropic.event;
import static dev.triage.provider.anthropic.FakeAnthropic.json;
import static dev.triage.provider.anthropic.FakeAnthropic.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.Usage;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How Anthropic's server-sent events are re-told as OpenAI {@code chat.completion.chunk}s. */
class AnthropicStreamTest {

    private static final String REQUEST = """
            {"model":"triage/smart","stream":true,"messages":[{"role":"user","content":"Hello"}]}
            """;

    private static final String MESSAGE_START = event("message_start", """
            {"type":"message_start","message":{"id":"msg_01HCEpkPWgyvYBDNqfwKDtQf","type":"message","role":"assistant",\
            "model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,\
            "usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":2048,\
            "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}""");
    private static final String TEXT_START = event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    private static final String PING = event("ping", "{\"type\": \"ping\"}");
    private static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    private final List<ObjectNode> chunks = new ArrayList<>();
    private final FakeAnthropic anthropic = new FakeAnthropic();

    @AfterEach
    void stop() {
        anthropic.close();
    }

    private static String textDelta(int index, String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
    }

    private static String blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    /** Each chunk's only choice, as compact JSON, in the order the sink received them. */
    private List<String> choices() {
        return chunks.stream().map(c -> c.get("choices").get(0).toString()).toList();
    }

    @Test
    void textStreamBecomesRoleChunkContentChunksAndAFinishChunk() {
        anthropic.answerStream(MESSAGE_START + TEXT_START + PING
                + textDelta(0, "Hello") + textDelta(0, "! How can I help?") + blockStop(0)
                + event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}""")
                + MESSAGE_STOP);

        StreamOutcome outcome = anthropic.provider.stream(call(REQUEST), chunks::add);

        assertThat(choices()).containsExactly(
                "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"content\":\"! How can I help?\"},\"logprobs\":null,\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}");
        assertThat(wire(chunks.get(0))).isEqualTo(json("""
                {"id":"msg_01HCEpkPWgyvYBDNqfwKDtQf","object":"chat.completion.chunk","created":%d,
                 "model":"claude-sonnet-4-5-20250929",
                 "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}
                """.formatted(FakeAnthropic.NOW_SECONDS)));
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("id").asText()).isEqualTo("msg_01HCEpkPWgyvYBDNqfwKDtQf"));
        assertThat(outcome).isEqualTo(new StreamOutcome(new Usage(25 + 2048, 15, 2048, 0, 0, false), "stop"));
    }

    @Test
    void toolUseStreamBecomesToolCallDeltasWithIndexIdAndArguments() {
        anthropic.answerStream(MESSAGE_START + TEXT_START
                + textDelta(0, "Okay, let me check the weather.") + blockStop(0)
                + event("content_block_start", """
                {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}""")
                + event("content_block_delta", """
                {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}""")
                + event("content_block_delta", """
                {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}""")
                + event("content_block_delta", """
                {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisco, CA\\"}"}}""")
                + blockStop(1)
                + event("content_block_start", """
                {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01Ab","name":"get_time","input":{}}}""")
                + event("content_block_delta", """
                {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}}""")
                + blockStop(2)
                + event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}""")
                + MESSAGE_STOP);

        StreamOutcome outcome = anthropic.provider.stream(call(REQUEST), chunks::add);

        assertThat(chunks).extracting(c -> c.get("choices").get(0).get("delta").toString()).containsExactly(
                "{\"role\":\"assistant\",\"content\":\"\"}",
                "{\"content\":\"Okay, let me check the weather.\"}",
                "{\"tool_calls\":[{\"index\":0,\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]}",
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\" \\\"San Francisco, CA\\\"}\"}}]}",
                "{\"tool_calls\":[{\"index\":1,\"id\":\"toolu_01Ab\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}]}",
                "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]}",
                "{}");
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(outcome).isEqualTo(new StreamOutcome(new Usage(2073, 89, 2048, 0, 0, false), "tool_calls"));
    }

    @Test
    void thinkingDeltasAreNotForwardedAsContent() {
        anthropic.answerStream(MESSAGE_START
                + event("content_block_start", """
                {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}""")
                + event("content_block_delta", """
                {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Two plus two."}}""")
                + event("content_block_delta", """
                {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}""")
                + blockStop(0)
                + event("content_block_start", """
                {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""")
                + textDelta(1, "4") + blockStop(1)
                + event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":30}}""")
                + MESSAGE_STOP);

        anthropic.provider.stream(call(REQUEST), chunks::add);

        assertThat(chunks).extracting(c -> c.get("choices").get(0).get("delta").toString()).containsExactly(
                "{\"role\":\"assistant\",\"content\":\"\"}",
                "{\"reasoning_content\":\"Two plus two.\"}",
                "{\"thinking_blocks\":[{\"type\":\"thinking\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}]}",
                "{\"content\":\"4\"}",
                "{}");
    }

    @Test
    void maxTokensStopReasonFinishesWithLengthAndCumulativeUsageWins() {
        anthropic.answerStream(MESSAGE_START + TEXT_START + textDelta(0, "Once upon") + blockStop(0)
                + event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},\
                "usage":{"input_tokens":25,"cache_creation_input_tokens":100,"cache_read_input_tokens":2048,"output_tokens":2}}""")
                + MESSAGE_STOP);

        StreamOutcome outcome = anthropic.provider.stream(call(REQUEST), chunks::add);

        assertThat(outcome).isEqualTo(new StreamOutcome(new Usage(25 + 100 + 2048, 2, 2048, 100, 0, false), "length"));
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void errorEventMidStreamIsAnOverloadedFailure() {
        anthropic.answerStream(MESSAGE_START + TEXT_START + textDelta(0, "Hel")
                + event("error", "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}"));

        assertThatThrownBy(() -> anthropic.provider.stream(call(REQUEST), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
                    assertThat(e.getMessage()).isEqualTo("anthropic-main: Overloaded (overloaded_error, during the stream)");
                });
        assertThat(chunks).hasSize(2);
    }

    @Test
    void streamCutBeforeMessageStopIsAConnectionFailureWithoutAFinishChunk() {
        anthropic.answerStream(MESSAGE_START + TEXT_START + textDelta(0, "Hello") + blockStop(0)
                + event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"""));

        assertThatThrownBy(() -> anthropic.provider.stream(call(REQUEST), chunks::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
                    assertThat(e.getMessage()).isEqualTo("anthropic-main: stream ended before completion");
                });
        assertThat(chunks).noneMatch(c -> !c.get("choices").get(0).get("finish_reason").isNull());
    }

    @Test
    void streamThatStallsLongerThanTheIdleTimeoutTimesOut() {
        HangingBody body = new HangingBody(MESSAGE_START + TEXT_START + textDelta(0, "Hel"));
        anthropic.answerStream(body);
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> anthropic.provider.stream(call(REQUEST, Duration.ofMillis(300)), chunks::add))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(chunks).hasSize(2);
        } finally {
            body.release();
        }
    }

    @Test
    void clientGoneFromTheSinkPropagatesAndClosesTheUpstreamConnection() throws Exception {
        HangingBody body = new HangingBody(MESSAGE_START + TEXT_START + textDelta(0, "Hel"));
        anthropic.answerStream(body);
        try {
            assertThatThrownBy(() -> anthropic.provider.stream(call(REQUEST), chunk -> {
                if (chunk.get("choices").get(0).get("delta").has("content")
                        && !chunk.get("choices").get(0).get("delta").has("role")) {
                    throw new ClientGoneException(new IOException("Broken pipe"));
                }
                chunks.add(chunk);
            })).isInstanceOf(ClientGoneException.class);
        } finally {
            body.release();
        }
        assertThat(body.writeFailure.get(5, TimeUnit.SECONDS))
                .as("the upstream stops being able to write once Triage has closed the connection")
                .isInstanceOf(IOException.class);
    }

    /**
     * A streaming body that sends its first events, then holds the connection open (as a stalled
     * upstream would) until released, and then keeps writing pings until the socket fails.
     */
    private static final class HangingBody implements MockResponseBody {
        private final String prefix;
        private final CountDownLatch released = new CountDownLatch(1);
        final CompletableFuture<IOException> writeFailure = new CompletableFuture<>();

        HangingBody(String prefix) {
            this.prefix = prefix;
        }

        void release() {
            released.countDown();
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.writeUtf8(prefix);
                sink.flush();
                released.await(10, TimeUnit.SECONDS);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < until) {
                    sink.writeUtf8(PING);
                    sink.flush();
                    Thread.sleep(10);
                }
            } catch (IOException e) {
                writeFailure.complete(e);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writeFailure.complete(null);
        }
    }
}
