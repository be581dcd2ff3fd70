package dev.triage.provider.openai;

import static dev.triage.provider.openai.OpenAiWire.CLIENT_REQUEST;
import static dev.triage.provider.openai.OpenAiWire.TEXT_STREAM;
import static dev.triage.provider.openai.OpenAiWire.TOOLS_REQUEST;
import static dev.triage.provider.openai.OpenAiWire.TOOL_STREAM;
import static dev.triage.provider.openai.OpenAiWire.call;
import static dev.triage.provider.openai.OpenAiWire.chunk;
import static dev.triage.provider.openai.OpenAiWire.object;
import static dev.triage.provider.openai.OpenAiWire.payload;
import static dev.triage.provider.openai.OpenAiWire.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Usage;
import dev.triage.provider.ClientGoneException;
import dev.triage.provider.DrippingSse;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.StreamOutcome;
import dev.triage.provider.http.UpstreamHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderStreamTest {

    private static final UpstreamHttp HTTP = UpstreamHttp.withDefaults();

    private final List<DrippingSse> dripping = new ArrayList<>();
    private final MockWebServer server = new MockWebServer();
    private final List<ObjectNode> forwarded = new ArrayList<>();
    private OpenAiProvider provider;

    @BeforeEach
    void start() throws Exception {
        server.start();
        provider = new OpenAiProvider("openai", server.url("/v1").toString(), "sk-proj-T3stOnlyKeyA1b2C3d4E5f6G7h8", Map.of(), HTTP);
    }

    @AfterEach
    void stop() {
        dripping.forEach(DrippingSse::stop);
        server.close();
    }

    @Test
    void chunksAreForwardedInOrderWithoutUsageAndTheUsageChunkIsCapturedInstead() {
        server.enqueue(sse(TEXT_STREAM).build());

        StreamOutcome outcome = provider.stream(call(CLIENT_REQUEST), forwarded::add);

        List<ObjectNode> expected = new ArrayList<>();
        for (String event : TEXT_STREAM.subList(0, 4)) {
            ObjectNode chunk = payload(event);
            chunk.remove("usage");
            expected.add(chunk);
        }
        assertThat(forwarded).containsExactlyElementsOf(expected);
        assertThat(forwarded).allSatisfy(chunk -> assertThat(chunk.has("usage")).isFalse());
        assertThat(forwarded.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(forwarded.get(1).at("/choices/0/logprobs/content/0/logprob").asDouble()).isEqualTo(-0.0009);
        assertThat(text(forwarded)).isEqualTo("Hello there!");
        assertThat(outcome).isEqualTo(new StreamOutcome(new Usage(19, 4, 0, 0, 0, false), "stop"));
    }

    @Test
    void streamingRequestAsksForUsageEvenWhenTheClientDidNot() throws Exception {
        server.enqueue(sse(TEXT_STREAM).build());

        provider.stream(call(CLIENT_REQUEST), forwarded::add);

        var sent = server.takeRequest(1, TimeUnit.SECONDS);
        ObjectNode body = object(sent.getBody().utf8());
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("stream_options")).isEqualTo(object("{\"include_usage\":true}"));
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void clientStreamOptionsAreKeptAndIncludeUsageForcedOn() throws Exception {
        server.enqueue(sse(TEXT_STREAM).build());

        provider.stream(call("""
                {"model":"triage/smart","messages":[{"role":"user","content":"hi"}],"stream":true,\
                "stream_options":{"include_usage":false,"include_obfuscation":false}}"""), forwarded::add);

        ObjectNode body = object(server.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.get("stream_options")).isEqualTo(object("{\"include_usage\":true,\"include_obfuscation\":false}"));
    }

    @Test
    void toolCallDeltasAreForwardedAsTheyArriveAndFinishWithToolCalls() {
        server.enqueue(sse(TOOL_STREAM).build());

        StreamOutcome outcome = provider.stream(call(TOOLS_REQUEST), forwarded::add);

        assertThat(forwarded).hasSize(7);
        var first = forwarded.get(0).at("/choices/0/delta/tool_calls/0");
        assertThat(first.path("id").asText()).isEqualTo("call_Zq3mA8kXbL1vT9nR2cE5wYhJ");
        assertThat(first.at("/function/name").asText()).isEqualTo("get_weather");
        StringBuilder arguments = new StringBuilder();
        for (ObjectNode chunk : forwarded) {
            arguments.append(chunk.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
        }
        assertThat(arguments).hasToString("{\"location\":\"Paris\"}");
        assertThat(outcome).isEqualTo(new StreamOutcome(new Usage(62, 15, 0, 0, 0, false), "tool_calls"));
    }

    @Test
    void streamWithoutUsageChunkEndsWithNullUsage() {
        server.enqueue(sse(List.of(TEXT_STREAM.get(0), TEXT_STREAM.get(2), TEXT_STREAM.get(3), OpenAiWire.DONE)).build());

        StreamOutcome outcome = provider.stream(call(CLIENT_REQUEST), forwarded::add);

        assertThat(outcome).isEqualTo(new StreamOutcome(null, "stop"));
        assertThat(forwarded).hasSize(3);
    }

    @Test
    void streamCutBeforeDoneIsAConnectionError() {
        server.enqueue(sse(TEXT_STREAM.subList(0, 3)).build());

        assertThatThrownBy(() -> provider.stream(call(CLIENT_REQUEST), forwarded::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
                    assertThat(e.getMessage()).isEqualTo("openai: stream ended before completion");
                });
        assertThat(text(forwarded)).isEqualTo("Hello there!");
    }

    @Test
    void errorEventMidStreamIsThrownAsTheMappedProviderError() {
        server.enqueue(sse(List.of(TEXT_STREAM.get(0), TEXT_STREAM.get(1),
                "data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
                        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")).build());

        assertThatThrownBy(() -> provider.stream(call(CLIENT_REQUEST), forwarded::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
                    assertThat(e.getMessage())
                            .isEqualTo("openai: The server had an error while processing your request. Sorry about that!");
                });
        assertThat(forwarded).hasSize(2);
    }

    @Test
    void vllmErrorEventCarryingAnHttpStatusIsMappedByThatStatus() {
        server.enqueue(sse(List.of(TEXT_STREAM.get(0),
                "data: {\"error\":{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. "
                        + "However, you requested 4100 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}\n\n")).build());

        assertThatThrownBy(() -> provider.stream(call(CLIENT_REQUEST), forwarded::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
                    assertThat(e.upstreamStatus()).isEqualTo(400);
                });
    }

    @Test
    void eventThatIsNotJsonIsAProtocolError() {
        server.enqueue(sse(List.of(TEXT_STREAM.get(0), "data: <html>502 Bad Gateway</html>\n\n")).build());

        assertThatThrownBy(() -> provider.stream(call(CLIENT_REQUEST), forwarded::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL));
    }

    @Test
    void stalledStreamTimesOutAfterTheIdleTimeout() {
        DrippingSse upstream = upstream(DrippingSse.stallingAfter(TEXT_STREAM.subList(0, 1)));
        ProviderCall call = new ProviderCall(new ChatRequest(object(CLIENT_REQUEST)), "gpt-4o-mini",
                Deadline.after(Duration.ofSeconds(10)), Duration.ofMillis(200));

        long started = System.nanoTime();
        assertThatThrownBy(() -> provider.stream(call, forwarded::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.getMessage()).isEqualTo("the upstream stream stalled for more than 200 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void deadlinePassingMidStreamIsATimeout() {
        upstream(DrippingSse.stallingAfter(TEXT_STREAM.subList(0, 1)));
        ProviderCall call = new ProviderCall(new ChatRequest(object(CLIENT_REQUEST)), "gpt-4o-mini",
                Deadline.after(Duration.ofMillis(400)), Duration.ofSeconds(10));

        long started = System.nanoTime();
        assertThatThrownBy(() -> provider.stream(call, forwarded::add))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.getMessage()).isEqualTo("the request deadline passed while the upstream was streaming");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void clientGoingAwayPropagatesAndClosesTheUpstreamConnection() throws Exception {
        DrippingSse upstream = upstream(new DrippingSse(TEXT_STREAM.subList(0, 1),
                chunk("[{\"index\":0,\"delta\":{\"content\":\" la\"},\"logprobs\":null,\"finish_reason\":null}]", "null"),
                Duration.ofMillis(20)));
        ClientGoneException gone = new ClientGoneException(new IOException("Broken pipe"));

        long started = System.nanoTime();
        assertThatThrownBy(() -> provider.stream(call(CLIENT_REQUEST), chunk -> {
            forwarded.add(chunk);
            throw gone;
        })).isSameAs(gone);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(forwarded).hasSize(1);
        assertThat(upstream.awaitHangUp(Duration.ofSeconds(2))).as("upstream saw the connection closed").isTrue();
    }

    private DrippingSse upstream(DrippingSse body) {
        dripping.add(body);
        server.enqueue(body.response());
        return body;
    }

    private static String text(List<ObjectNode> chunks) {
        StringBuilder text = new StringBuilder();
        for (ObjectNode chunk : chunks) {
            text.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        return text.toString();
    }
}
