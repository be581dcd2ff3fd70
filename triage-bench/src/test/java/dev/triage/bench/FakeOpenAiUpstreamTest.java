package dev.triage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FakeOpenAiUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CHAT = LoadOptions.DEFAULT_BODY.getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(FakeOpenAiUpstream.Executor.class)
    void chatCompletionIsAnsweredWithAnOpenAiCompletionAndUsage(FakeOpenAiUpstream.Executor executor) throws Exception {
        try (var upstream = FakeOpenAiUpstream.start("127.0.0.1", 0, executor);
             var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port() + "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(CHAT)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).contains("application/json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.path("model").asText()).isEqualTo("fake-model");
            assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
            assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello! How can I help you today?");
            assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
            assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(14);
            assertThat(body.at("/usage/completion_tokens").asLong()).isEqualTo(9);
            assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(23);
            assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isZero();
            assertThat(body.at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isZero();
        }
    }

    @Test
    void chunkedRequestBodyIsReadToItsEndSoTheConnectionServesTheNextRequest() throws Exception {
        byte[] chunked = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(CHAT.length) + "\r\n" + LoadOptions.DEFAULT_BODY + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] plain = Http1Connection.encodePost("x", "/v1/chat/completions", List.of(), CHAT);
        try (var upstream = FakeOpenAiUpstream.start("127.0.0.1", 0, FakeOpenAiUpstream.Executor.INLINE);
             var connection = new Http1Connection(new java.net.InetSocketAddress("127.0.0.1", upstream.port()))) {
            connection.connect();

            assertThat(connection.exchange(chunked)).isEqualTo(200);
            assertThat(connection.exchange(plain)).isEqualTo(200);
            assertThat(connection.exchange(chunked)).isEqualTo(200);
            assertThat(connection.reconnects()).isZero();
        }
    }

    @Test
    void anyOtherRequestGetsAnOpenAiShaped404() throws Exception {
        try (var upstream = FakeOpenAiUpstream.start("127.0.0.1", 0, FakeOpenAiUpstream.Executor.INLINE);
             var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port() + "/v1/models")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asText()).isEqualTo("unknown_url");
        }
    }
}
