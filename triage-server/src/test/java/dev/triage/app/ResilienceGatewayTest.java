package dev.triage.app;

import static dev.triage.app.GatewayHarness.chat;
import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import dev.triage.provider.DrippingSse;
import dev.triage.provider.openai.OpenAiWire;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilienceGatewayTest {

    private final GatewayHarness gw = new GatewayHarness();

    @AfterEach
    void stop() {
        gw.close();
    }

    private static MockResponse error(int status, String type, String code) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"upstream says " + status + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":" + code + "}}")
                .build();
    }

    @Test
    void serverErrorsAreRetriedThenTheFallbackModelAnswers() {
        gw.primary.enqueue(error(500, "server_error", "null"));
        gw.primary.enqueue(error(500, "server_error", "null"));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-model")).hasValue("steady");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        // 19 * $3/M + 4 * $4/M: the failed attempts cost nothing
        assertThat(r.headers().firstValue("x-triage-cost-usd")).hasValue("0.000073");
        assertThat(json(r.body()).get("model").asText()).isEqualTo("steady");
        assertThat(gw.primary.getRequestCount()).isEqualTo(2); // first try + max_retries 1
        assertThat(gw.backup.getRequestCount()).isEqualTo(1);
        List<LedgerEntry> rows = gw.ledgerOf(r);
        assertThat(rows).extracting(LedgerEntry::model).containsExactly("fast", "fast", "steady");
        assertThat(rows).extracting(LedgerEntry::status).containsExactly(AttemptStatus.ERROR, AttemptStatus.ERROR, AttemptStatus.OK);
        assertThat(rows).extracting(LedgerEntry::errorKind).containsExactly("SERVER_ERROR", "SERVER_ERROR", null);
        assertThat(rows).extracting(LedgerEntry::httpStatus).containsExactly(500, 500, 0);
    }

    @Test
    void rateLimitEverywhereIs429WithRetryAfter() {
        MockResponse limited = new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "30")
                .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")
                .build();
        gw.primary.enqueue(limited);
        gw.backup.enqueue(limited);
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("30");
        JsonNode error = json(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.get("code").asText()).isEqualTo("rate_limited");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");
        // Retry-After (30 s) exceeds the request deadline (5 s): no waiting, straight to the fallback
        assertThat(gw.primary.getRequestCount()).isEqualTo(1);
    }

    @Test
    void badRequestFromUpstreamIsNotRetriedNorFallenBack() {
        gw.primary.enqueue(error(400, "invalid_request_error", "\"invalid_value\""));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(json(r.body()).at("/error/message").asText()).contains("upstream says 400");
    }

    @Test
    void upstreamSecretsNeverReachTheClientNorTheLogNorTheLedger() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        gw.primary.enqueue(error(401, "invalid_request_error", "\"invalid_api_key\"").newBuilder()
                .body("{\"error\":{\"message\":\"Incorrect API key provided: sk-test-primary-0123456789abcdef.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")
                .build());
        gw.backup.enqueue(error(503, "server_error", "null"));
        gw.backup.enqueue(error(503, "server_error", "null"));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).doesNotContain("sk-test-primary").doesNotContain("0123456789abcdef");
        gw.app.ledger().flush();
        root.setLevel(level);
        root.detachAppender(logs);
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain("0123456789abcdef");
            if (e.getThrowableProxy() != null) {
                assertThat(e.getThrowableProxy().getMessage()).doesNotContain("0123456789abcdef");
            }
        });
        assertThat(gw.ledgerOf(r))
                .allSatisfy(row -> assertThat(row.toString()).doesNotContain("0123456789abcdef"));
    }

    @Test
    void aKeyEchoedInPartOrInBase64NeverReachesTheClientNorTheLog() {
        String key = "sk-test-primary-0123456789abcdef";
        String basic = java.util.Base64.getEncoder().encodeToString(("svc:" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String urlSafe = java.util.Base64.getUrlEncoder().encodeToString(("{\"k\":\"" + key + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        gw.primary.enqueue(error(400, "invalid_request_error", "null").newBuilder()
                .body("{\"error\":{\"message\":\"Bad key sk-test-primary-012345...cdef; sent Authorization: Basic " + basic
                        + " and token " + urlSafe + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")
                .build());
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        root.detachAppender(logs);

        assertThat(r.statusCode()).isEqualTo(400);
        String message = json(r.body()).at("/error/message").asText();
        // Runs of one kind of character ("sk-test-p") are left alone (they are words elsewhere); every run that mixes kinds goes.
        assertThat(message).contains("[redacted]...cdef").doesNotContain("primary-0").doesNotContain("012345");
        // The stretch of each encoding made of the key's bytes alone must be gone.
        assertThat(message).doesNotContain(basic.substring(8, 36)).doesNotContain(urlSafe.substring(12, 40));
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain("primary-0").doesNotContain(basic.substring(8, 36)).doesNotContain(urlSafe.substring(12, 40)));
    }

    @Test
    void theDeadlineCoversEveryAttempt() {
        // Each upstream answers after 3 s; the request deadline is 5 s: the first call fits, the fallback does not.
        gw.primary.enqueue(error(500, "server_error", "null").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        gw.primary.enqueue(error(500, "server_error", "null").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("upstream_timeout");
        assertThat(tookMs).isBetween(4_500L, 8_000L);
    }

    @Test
    void failureAfterTheFirstByteEndsTheStreamWithAnErrorEventNotASilentCut() {
        List<String> partial = OpenAiWire.TEXT_STREAM.subList(0, 2);
        gw.primary.enqueue(OpenAiWire.sse(partial).build()); // ends without [DONE]
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", true));

        assertThat(r.statusCode()).isEqualTo(200);
        String[] events = r.body().split("\n\n");
        assertThat(events[events.length - 1]).isEqualTo("data: [DONE]");
        JsonNode error = json(events[events.length - 2].substring(6)).get("error");
        assertThat(error.get("code").asText()).isEqualTo("upstream_connection_error");
        assertThat(error.get("message").asText()).contains("mid-stream");
        assertThat(gw.backup.getRequestCount()).isZero(); // no fallback once bytes went out
        LedgerEntry row = gw.ledgerOf(r).getFirst();
        assertThat(row.status()).isEqualTo(AttemptStatus.ERROR);
        assertThat(row.usage().estimated()).isTrue();
        assertThat(row.cost().picos()).isPositive();
    }

    @Test
    void stalledUpstreamStreamIsDetectedByTheIdleTimeout() {
        DrippingSse stall = DrippingSse.stallingAfter(OpenAiWire.TEXT_STREAM.subList(0, 2));
        gw.primary.enqueue(stall.response());
        long start = System.nanoTime();
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", true));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.body()).contains("\"code\":\"upstream_timeout\"").endsWith("data: [DONE]\n\n");
        assertThat(tookMs).isLessThan(4_000); // idle timeout is 1 s
        stall.stop();
    }

    @Test
    void clientDisconnectingMidStreamCancelsTheUpstreamAndTheAttemptIsCosted() throws Exception {
        DrippingSse endless = new DrippingSse(OpenAiWire.TEXT_STREAM.subList(0, 2),
                OpenAiWire.TEXT_STREAM.get(2), Duration.ofMillis(50));
        gw.primary.enqueue(endless.response());
        HttpResponse<InputStream> r = gw.client.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat("fast", true))).build(), HttpResponse.BodyHandlers.ofInputStream());
        String id = r.headers().firstValue("x-triage-request-id").orElseThrow();
        try (InputStream in = r.body()) {
            in.readNBytes(600); // a few chunks
        }
        assertThat(endless.awaitHangUp(Duration.ofSeconds(10))).as("upstream connection closed").isTrue();
        LedgerEntry row = awaitRow(id);
        assertThat(row.status()).isEqualTo(AttemptStatus.CANCELLED);
        assertThat(row.usage().estimated()).isTrue();
        assertThat(row.usage().outputTokens()).isPositive();
        assertThat(row.cost().picos()).isPositive();
        endless.stop();
    }

    private LedgerEntry awaitRow(String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<LedgerEntry> rows = gw.app.ledger().findByRequest(id);
            if (!rows.isEmpty()) {
                return rows.getFirst();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ledger row for " + id);
    }
}
