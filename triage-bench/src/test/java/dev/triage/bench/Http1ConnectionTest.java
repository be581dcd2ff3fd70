package dev.triage.bench;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Http1ConnectionTest {

    private static final byte[] REQUEST = Http1Connection.encodePost("127.0.0.1:9", "/v1/chat/completions",
            List.<String[]>of(new String[] {"Authorization", "Bearer test"}), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void postIsEncodedOnceWithHostLengthTypeAndExtraHeaders() {
        assertThat(new String(REQUEST, StandardCharsets.ISO_8859_1)).isEqualTo("""
                POST /v1/chat/completions HTTP/1.1\r
                Host: 127.0.0.1:9\r
                Content-Type: application/json\r
                Content-Length: 7\r
                Authorization: Bearer test\r
                \r
                {"a":1}""");
    }

    @Test
    void contentLengthResponsesFollowEachOtherOnOneKeptAliveConnection() throws Exception {
        try (var server = new ScriptedHttpServer(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
                "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 2\r\n\r\n{}");
             var connection = new Http1Connection(server.address())) {

            assertThat(connection.exchange(REQUEST)).isEqualTo(200);
            assertThat(connection.exchange(REQUEST)).isEqualTo(429);
            assertThat(server.connectionsAccepted()).isEqualTo(1);
            assertThat(server.requests()).containsExactly(
                    new String(REQUEST, StandardCharsets.ISO_8859_1), new String(REQUEST, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsReadToItsEnd() throws Exception {
        try (var server = new ScriptedHttpServer(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n16\r\n, a body in two chunks\r\n0\r\nX-Trailer: yes\r\n\r\n",
                "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
             var connection = new Http1Connection(server.address())) {

            assertThat(connection.exchange(REQUEST)).isEqualTo(200);
            assertThat(connection.exchange(REQUEST)).isEqualTo(201);
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void interimContinueResponseIsSkipped() throws Exception {
        try (var server = new ScriptedHttpServer(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
             var connection = new Http1Connection(server.address())) {

            assertThat(connection.exchange(REQUEST)).isEqualTo(200);
        }
    }

    @Test
    void connectionCloseMakesTheNextRequestReconnect() throws Exception {
        try (var server = new ScriptedHttpServer(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
             var connection = new Http1Connection(server.address())) {
            connection.connect();

            assertThat(connection.exchange(REQUEST)).isEqualTo(200);
            assertThat(connection.exchange(REQUEST)).isEqualTo(200);
            assertThat(connection.reconnects()).isEqualTo(1);
            assertThat(server.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void bodyWithoutLengthIsReadUntilTheServerCloses() throws Exception {
        try (var server = new ScriptedHttpServer(
                "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\n{\"until\":\"close\"}");
             var connection = new Http1Connection(server.address())) {

            assertThat(connection.exchange(REQUEST)).isEqualTo(200);
        }
    }

    @Test
    void bodyCutShortIsAnError() throws Exception {
        try (var server = new ScriptedHttpServer(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{\"short\":1}");
             var connection = new Http1Connection(server.address())) {

            assertThatThrownBy(() -> connection.exchange(REQUEST))
                    .isInstanceOf(EOFException.class)
                    .hasMessage("connection closed 89 bytes before the end of the body");
        }
    }
}
