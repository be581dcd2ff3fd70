package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad request gets a clear 4xx in OpenAI's error shape, no upstream call and no ledger row. */
class BadInputTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @AfterEach
    void nothingWentUpstreamOrIntoTheLedger() {
        assertThat(gw.primary.getRequestCount()).isZero();
        assertThat(gw.backup.getRequestCount()).isZero();
        assertThat(gw.app.ledger().count()).isZero();
    }

    private static JsonNode expectError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        JsonNode error = json(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.get("code").asText()).isEqualTo(code);
        return error;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            invalid JSON               | {"model": "fast", "messages": [         | invalid_request | request body is not valid JSON
            not an object              | [1,2,3]                                  | invalid_request | must be a JSON object
            missing model              | {"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'model' is required
            model of wrong type        | {"model": 42, "messages":[{"role":"user","content":"hi"}]} | invalid_request | 'model' must be a non-empty string
            missing messages           | {"model":"fast"}                         | invalid_request | 'messages' is required
            messages not an array      | {"model":"fast","messages":"hi"}         | invalid_request | 'messages' must be an array
            empty messages             | {"model":"fast","messages":[]}           | invalid_request | at least one message
            bad role                   | {"model":"fast","messages":[{"role":"wizard","content":"hi"}]} | invalid_request | messages[0].role
            content of wrong type      | {"model":"fast","messages":[{"role":"user","content":5}]} | invalid_request | messages[0].content
            stream not boolean         | {"model":"fast","stream":"yes","messages":[{"role":"user","content":"hi"}]} | invalid_request | 'stream' must be a boolean
            temperature out of range   | {"model":"fast","temperature":7,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'temperature' must be a number between 0 and 2
            negative max_tokens        | {"model":"fast","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'max_tokens' must be an integer between 1 and 2147483647
            api_base redirect          | {"model":"fast","api_base":"http://evil.example","messages":[{"role":"user","content":"hi"}]} | unsupported_parameter | 'api_base' is not accepted
            base_url redirect          | {"model":"fast","base_url":"http://evil.example","messages":[{"role":"user","content":"hi"}]} | unsupported_parameter | 'base_url' is not accepted
            api_key in body            | {"model":"fast","api_key":"sk-stolen","messages":[{"role":"user","content":"hi"}]} | unsupported_parameter | 'api_key' is not accepted
            text after the object      | {"model":"fast","messages":[{"role":"user","content":"hi"}]} garbage | invalid_request | text after the JSON object
            two objects                | {"model":"fast","messages":[{"role":"user","content":"hi"}]}{"model":"steady"} | invalid_request | text after the JSON object
            n beyond 64 bits           | {"model":"fast","n":18446744073709551617,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'n' must be an integer between 1 and 128
            n above 128                | {"model":"fast","n":129,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'n' must be an integer between 1 and 128
            max_tokens beyond 64 bits  | {"model":"fast","max_tokens":18446744073709551617,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'max_tokens' must be an integer between 1 and 2147483647
            max_tokens as exponent     | {"model":"fast","max_tokens":1e30,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'max_tokens' must be an integer
            max_completion_tokens 2.5  | {"model":"fast","max_completion_tokens":2.5,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'max_completion_tokens' must be an integer
            best_of beyond 64 bits     | {"model":"fast","best_of":36893488147419103233,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'best_of' must be an integer
            seed beyond 64 bits        | {"model":"fast","seed":18446744073709551617,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'seed' must be an integer
            top_logprobs fractional    | {"model":"fast","top_logprobs":2.5,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'top_logprobs' must be an integer between 0 and 20
            tools of numbers           | {"model":"fast","tools":[1,2],"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'tools[0]' must be an object
            tool without a type        | {"model":"fast","tools":[{"function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'tools[0].type' must be
            tool without a name        | {"model":"fast","tools":[{"type":"function","function":{"description":"x"}}],"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'tools[0].function.name'
            tool parameters a string   | {"model":"fast","tools":[{"type":"function","function":{"name":"f","parameters":"x"}}],"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'tools[0].function.parameters'
            tool_choice a number       | {"model":"fast","tool_choice":3,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'tool_choice' must be
            response_format a number   | {"model":"fast","response_format":5,"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'response_format' must be an object
            response_format unknown    | {"model":"fast","response_format":{"type":"yaml"},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'response_format' must be an object
            json_schema without schema | {"model":"fast","response_format":{"type":"json_schema"},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'response_format.json_schema'
            include_usage a string     | {"model":"fast","stream":true,"stream_options":{"include_usage":"yes"},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'stream_options.include_usage'
            logit_bias out of range    | {"model":"fast","logit_bias":{"50256":-1000},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'logit_bias'
            user with NUL              | {"model":"fast","user":"evil\\u0000user","messages":[{"role":"user","content":"hi"}]} | invalid_request | 'user' contains the control character U+0000
            user with a lone surrogate | {"model":"fast","user":"evil\\ud800user","messages":[{"role":"user","content":"hi"}]} | invalid_request | 'user' contains an unpaired surrogate
            model with a control char  | {"model":"fast\\u001b[2J","messages":[{"role":"user","content":"hi"}]} | invalid_request | 'model' contains the control character U+001B
            metadata value a number    | {"model":"fast","metadata":{"team":5},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'metadata.team' must be a string
            metadata key with NUL      | {"model":"fast","metadata":{"a\\u0000b":"x"},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'metadata' contains the control character U+0000
            task hint with NUL         | {"model":"fast","metadata":{"task_type":"chat\\u0000"},"messages":[{"role":"user","content":"hi"}]} | invalid_request | 'metadata.task_type' contains the control character
            """)
    void malformedRequestsAre400(String name, String body, String code, String message) {
        JsonNode error = expectError(gw.post("/v1/chat/completions", body), 400, code);
        assertThat(error.get("message").asText()).contains(message);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aUserOfEightThousandCharactersIsRefusedBeforeTheUpstreamIsCalled() {
        String user = java.util.Base64.getEncoder().encodeToString(new java.util.Random(7).ints(6000, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
        assertThat(user).hasSize(8000);
        String body = "{\"model\":\"fast\",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode error = expectError(gw.post("/v1/chat/completions", body), 400, "invalid_request");
        assertThat(error.get("param").asText()).isEqualTo("user");
        assertThat(error.get("message").asText()).isEqualTo("'user' is 8000 characters long; at most 1024 are accepted");
    }

    @Test
    void aModelNameLongerThanAnyCatalogIdIsRefusedWithoutEchoingIt() {
        String model = "m".repeat(5000);
        JsonNode error = expectError(gw.post("/v1/chat/completions", GatewayHarness.ask(model, "hi")), 400, "invalid_request");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).hasSizeLessThan(100);
    }

    @Test
    void seventeenMetadataPairsAreRefused() {
        StringBuilder meta = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            meta.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        String body = "{\"model\":\"fast\",\"metadata\":{" + meta + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode error = expectError(gw.post("/v1/chat/completions", body), 400, "invalid_request");
        assertThat(error.get("message").asText()).contains("at most 16");
    }

    @Test
    void aTaskHintHeaderTooLongToBeANameIsRefusedWithABoundedMessage() {
        JsonNode error = expectError(gw.post("/v1/chat/completions", GatewayHarness.ask("fast", "hi"), "x-triage-task", "t".repeat(4000)),
                400, "invalid_request");
        assertThat(error.get("param").asText()).isEqualTo("x-triage-task");
        assertThat(error.get("message").asText()).hasSizeLessThan(100);
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        JsonNode error = expectError(gw.post("/v1/chat/completions", GatewayHarness.chat("no-such-model", false)), 404, "model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("no-such-model");
    }

    @Test
    void catalogModelWithoutConfiguredProviderIs400ModelNotAvailable() {
        JsonNode error = expectError(gw.post("/v1/chat/completions", GatewayHarness.chat("claude-3.5-sonnet", false)), 400, "model_not_available");
        assertThat(error.get("message").asText()).contains("anthropic");
    }

    @Test
    void absurdNestingIsRejected() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String body = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":" + deep + "}";
        JsonNode error = expectError(gw.post("/v1/chat/completions", body), 400, "invalid_request");
        assertThat(error.get("message").asText()).contains("nested deeper than");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] prefix = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3;
        body[prefix.length + 1] = (byte) 0x28; // not a continuation byte
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        JsonNode error = expectError(r, 400, "invalid_request");
        assertThat(error.get("message").asText()).isEqualTo("request body is not valid UTF-8");
    }

    @Test
    void declaredOversizedBodyIsRefusedWith413BeforeItIsSent() throws IOException {
        // Announce 20 MB but send only the headers: the gateway must answer without waiting for the body.
        try (Socket s = new Socket("127.0.0.1", gw.app.port())) {
            s.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 20971520\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void chunkedOversizedBodyIsRefusedWith413() throws IOException {
        // No Content-Length: the gateway reads up to its limit (10 MB) and refuses at the first byte beyond it.
        try (Socket s = new Socket("127.0.0.1", gw.app.port())) {
            s.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 11; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException serverStoppedReading) {
                // expected once the gateway has answered and closed
            }
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void unknownPathIsAnOpenAiShaped404() {
        expectError(gw.get("/v1/nope"), 404, "unknown_url");
    }

    private static void expectRawError(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.head()).isEqualTo(status);
        assertThat(r.header("content-type").orElseThrow()).startsWith("application/json");
        JsonNode error = json(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
    }

    @Test
    void headersLargerThanJettyTakesGetAnOpenAiShaped431() {
        // Refused by Jetty itself, before Javalin sees a request.
        expectRawError(RawHttp.send(gw.app.port(), "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                + "a".repeat(64 * 1024), null), 431, "request_headers_too_large");
    }

    @Test
    void aMalformedRequestLineGetsAnOpenAiShaped400() {
        expectRawError(RawHttp.exchange(gw.app.port(), "NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0]),
                400, "invalid_request");
    }

    @Test
    void aBodyWithTwoLengthsIsRefusedWithAnOpenAiShaped400() {
        // Content-Length and chunked together: the request-smuggling shape.
        expectRawError(RawHttp.exchange(gw.app.port(), ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), new byte[0]), 400, "invalid_request");
    }
}
