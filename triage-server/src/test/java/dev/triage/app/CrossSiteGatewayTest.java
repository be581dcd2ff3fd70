package dev.triage.app;

import static dev.triage.app.GatewayHarness.chat;
import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page on another site, opened in the browser of someone whose gateway listens on loopback without
 * keys, can neither spend their credits nor read their reports: bodies a page may send without a CORS
 * preflight are refused (415), foreign {@code Origin}s are refused (403), and a page that re-points its
 * own domain at the gateway (DNS rebinding) is refused on its {@code Host} (421). The dashboard's own
 * requests, and clients that are not browsers, pass.
 */
class CrossSiteGatewayTest {

    private static final String EVIL = "http://evil.example";

    private final GatewayHarness gw = new GatewayHarness();

    @AfterEach
    void stop() {
        gw.close();
    }

    private static JsonNode error(int status, String code, String param, int actualStatus, String body) {
        assertThat(actualStatus).as(body).isEqualTo(status);
        JsonNode error = json(body).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("param").asText()).isEqualTo(param);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isNotBlank();
        return error;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1", "application/jsonp", "application/json; x=1"})
    void aChatCompletionBodyThatIsNotJsonIsRefusedWith415BeforeTheUpstreamIsCalled(String type) {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions")).header("content-type", type)
                .POST(HttpRequest.BodyPublishers.ofString(chat("fast", false))).build());

        JsonNode error = error(415, "unsupported_media_type", "Content-Type", r.statusCode(), r.body());
        assertThat(error.get("message").asText()).contains("application/json");
        assertThat(gw.primary.getRequestCount()).isZero();
        gw.app.ledger().flush();
        assertThat(gw.app.ledger().count()).isZero();
    }

    @Test
    void aChatCompletionWithoutContentTypeIsRefusedWith415() {
        RawHttp.Response r = RawHttp.send(gw.app.port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1", chat("fast", false));

        error(415, "unsupported_media_type", "Content-Type", r.status(), r.body());
        assertThat(gw.primary.getRequestCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""})
    void jsonWithOrWithoutAUtf8CharsetIsServed(String type) {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions")).header("content-type", type)
                .POST(HttpRequest.BodyPublishers.ofString(chat("fast", false))).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void feedbackThatIsNotJsonIsRefusedWith415() {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/v1/feedback")).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\":\"req_1\",\"score\":1}")).build());

        error(415, "unsupported_media_type", "Content-Type", r.statusCode(), r.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/models", "/api/report", "/metrics", "/healthz", "/readyz", "/", "/v1/nope"})
    void aForeignOriginIsRefusedWith403OnEveryEndpoint(String path) {
        HttpResponse<String> r = gw.get(path, "Origin", EVIL);

        JsonNode error = error(403, "origin_not_allowed", "Origin", r.statusCode(), r.body());
        assertThat(error.get("message").asText()).contains("server.allowed_origins");
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void aForeignPagePostingToChatCompletionsIsRefusedWith403BeforeTheUpstreamIsCalled() {
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false), "Origin", EVIL);

        error(403, "origin_not_allowed", "Origin", r.statusCode(), r.body());
        assertThat(gw.primary.getRequestCount()).isZero();
    }

    @Test
    void aSandboxedPageWithOriginNullIsRefused() {
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false), "Origin", "null");

        error(403, "origin_not_allowed", "Origin", r.statusCode(), r.body());
    }

    @Test
    void aCorsPreflightFromAForeignOriginDoesNotSucceed() {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", EVIL).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization").build());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(r.headers().firstValue("access-control-allow-methods")).isEmpty();
    }

    @Test
    void theGatewaysOwnOriginPasses() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", false), "Origin", "http://127.0.0.1:" + gw.app.port());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(gw.get("/api/report", "Origin", "http://127.0.0.1:" + gw.app.port()).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherPortOfTheSameHostIsAnotherOrigin() {
        HttpResponse<String> r = gw.get("/api/report", "Origin", "http://127.0.0.1:" + (gw.app.port() == 1 ? 2 : gw.app.port() - 1));

        error(403, "origin_not_allowed", "Origin", r.statusCode(), r.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"evil.example", "evil.example:%d", "127.0.0.1.evil.example:%d", "localhost.evil.example"})
    void aRequestForAnotherHostNameIsRefusedWith421(String host) {
        // What a DNS-rebinding page sends: its own origin (so no foreign Origin), its own name in Host.
        RawHttp.Response r = RawHttp.send(gw.app.port(), "GET /api/report HTTP/1.1\r\nHost: " + host.formatted(gw.app.port())
                + "\r\nOrigin: http://" + host.formatted(gw.app.port()), null);

        JsonNode error = error(421, "host_not_allowed", "Host", r.status(), r.body());
        assertThat(error.get("message").asText()).contains("server.allowed_hosts");
    }

    @Test
    void aRebindingPageCannotPostAChatCompletion() {
        String host = "rebind.evil.example:" + gw.app.port();
        RawHttp.Response r = RawHttp.send(gw.app.port(), "POST /v1/chat/completions HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nOrigin: http://" + host, chat("fast", false));

        error(421, "host_not_allowed", "Host", r.status(), r.body());
        assertThat(gw.primary.getRequestCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/healthz", "/readyz"})
    void healthChecksAnswerWhateverTheHostSoThatProbesByInstanceAddressWork(String path) {
        RawHttp.Response r = RawHttp.send(gw.app.port(), "GET " + path + " HTTP/1.1\r\nHost: 10.1.2.3:8080", null);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost", "localhost:%d", "LOCALHOST:%d", "127.0.0.1:%d", "[::1]:%d", "[::1]"})
    void loopbackNamesWithAnyPortPass(String host) {
        RawHttp.Response r = RawHttp.send(gw.app.port(), "GET /v1/models HTTP/1.1\r\nHost: " + host.formatted(gw.app.port()), null);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void listedHostsAndOriginsPass() {
        try (GatewayHarness listed = new GatewayHarness(", allowed_hosts: [gateway.internal], allowed_origins: [\"https://app.example.com\"]",
                null, "")) {
            RawHttp.Response byName = RawHttp.send(listed.app.port(), "GET /v1/models HTTP/1.1\r\nHost: gateway.internal:443", null);
            HttpResponse<String> fromApp = listed.get("/v1/models", "Origin", "https://app.example.com");
            HttpResponse<String> fromOther = listed.get("/v1/models", "Origin", "https://other.example.com");

            assertThat(byName.status()).as(byName.body()).isEqualTo(200);
            assertThat(fromApp.statusCode()).isEqualTo(200);
            assertThat(fromOther.statusCode()).isEqualTo(403);
        }
    }
}
