package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code server.max_body_heap_bytes}: the heap request bodies in flight may claim together. Each request
 * claims 5 bytes per body byte before its body is read and 160 per structural JSON character before it
 * is parsed; one that does not fit now gets 503 with {@code Retry-After}, unread; one that could never fit
 * gets 413, unparsed.
 */
class BodyBudgetGatewayTest {

    // One body of the largest size (200 kB) claims exactly the whole budget (5 x 200 kB).
    private final GatewayHarness gw = new GatewayHarness(", max_body_bytes: 200000, max_body_heap_bytes: 1000000", null, "");

    @AfterEach
    void stop() {
        gw.close();
    }

    /** A request of about {@code bytes} bytes, nearly all of it one string. */
    private static String bodyOf(int bytes) {
        return GatewayHarness.ask("fast", "x".repeat(bytes - 60));
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String body) {
        return gw.client.sendAsync(HttpRequest.newBuilder(gw.uri("/v1/chat/completions")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyThatDoesNotFitBesideTheOnesInFlightGets503WithRetryAfterAndIsNotServed() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        CompletableFuture<HttpResponse<String>> first = postAsync(bodyOf(120_000));
        gw.primary.takeRequest(); // the first is at the upstream, holding 600 kB of the budget

        HttpResponse<String> second = gw.post("/v1/chat/completions", bodyOf(120_000));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
        assertThat(second.headers().firstValue("retry-after")).hasValue("1");
        assertThat(second.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        JsonNode error = json(second.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("gateway_busy");
        assertThat(error.get("type").asText()).isEqualTo("server_error");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
    }

    @Test
    void smallBodiesStillFitBesideALargeOneInFlight() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        CompletableFuture<HttpResponse<String>> large = postAsync(bodyOf(120_000));
        gw.primary.takeRequest();

        HttpResponse<String> small = gw.post("/v1/chat/completions", bodyOf(2_000));

        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        assertThat(large.get().statusCode()).isEqualTo(200);
    }

    @Test
    void theBudgetIsGivenBackWhenRequestsEndWhateverTheirOutcome() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        assertThat(gw.post("/v1/chat/completions", "{\"model\":\"fast\",\"messages\":[" + " ".repeat(190_000) + "]}").statusCode())
                .isEqualTo(400);
        assertThat(gw.post("/v1/chat/completions", GatewayHarness.ask("no-such-model", "x".repeat(190_000))).statusCode())
                .isEqualTo(404);

        // A body of the largest size needs the whole budget: it is served only if every claim above was given back.
        HttpResponse<String> r = gw.post("/v1/chat/completions", bodyOf(190_000));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void jsonDenserThanTheWholeBudgetCanHoldIs413WithoutBeingParsed() {
        // 6,000 content parts of 28 bytes (168 kB): 30,000 structural characters claim 4.8 MB; the budget is 1 MB.
        String part = "{\"type\":\"text\",\"text\":\"a\"}";
        String body = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":[" + (part + ",").repeat(5_999) + part + "]}]}";

        HttpResponse<String> r = gw.post("/v1/chat/completions", body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        JsonNode error = json(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("request_too_large");
        assertThat(error.get("message").asText()).contains("structural characters").contains("server.max_body_heap_bytes");
        assertThat(gw.primary.getRequestCount()).isZero();
    }

    @Test
    void aChunkedBodyIsClaimedAsItArrives() throws Exception {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        CompletableFuture<HttpResponse<String>> first = postAsync(bodyOf(120_000));
        gw.primary.takeRequest();

        // No Content-Length: nothing to claim up front, so the refusal comes once the body outgrows what is left.
        byte[] body = bodyOf(120_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder chunked = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        chunked.append(Integer.toHexString(body.length)).append("\r\n").append(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .append("\r\n0\r\n\r\n");
        RawHttp.Response second = RawHttp.exchange(gw.app.port(), chunked.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0]);

        assertThat(second.status()).as(second.body()).isEqualTo(503);
        assertThat(json(second.body()).at("/error/code").asText()).isEqualTo("gateway_busy");
        assertThat(first.get().statusCode()).isEqualTo(200);
    }
}
