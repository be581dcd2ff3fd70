package dev.triage.bench;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadGeneratorTest {

    private static LoadOptions options(String url, double rate, double seconds, double warmup, int connections) {
        return new LoadOptions(URI.create(url), rate, seconds, warmup, connections,
                LoadOptions.DEFAULT_BODY.getBytes(StandardCharsets.UTF_8), List.of(), "test");
    }

    @Test
    void sendsExactlyRateTimesDurationMeasuredRequestsAtTheTargetRate() throws Exception {
        try (var upstream = FakeOpenAiUpstream.start("127.0.0.1", 0, FakeOpenAiUpstream.Executor.INLINE)) {
            LoadResult result = LoadGenerator.run(options(
                    "http://127.0.0.1:" + upstream.port() + "/v1/chat/completions", 200, 1, 0.25, 4));

            assertThat(result.requests()).isEqualTo(200);
            assertThat(result.errors()).isZero();
            assertThat(result.latency().count()).isEqualTo(200);
            assertThat(result.reconnects()).isZero();
            assertThat(result.rateAchieved()).isCloseTo(200, within(10.0));
            assertThat(result.latency().p50()).isPositive().isLessThanOrEqualTo(result.latency().max());
        }
    }

    @Test
    void non2xxResponsesAreErrorsAndLeaveNoLatencies() throws Exception {
        try (var server = new ScriptedHttpServer("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 2\r\n\r\n{}")) {
            LoadResult result = LoadGenerator.run(options(
                    "http://127.0.0.1:" + server.address().getPort() + "/v1/chat/completions", 100, 0.2, 0.1, 2));

            assertThat(result.requests()).isEqualTo(20);
            assertThat(result.errors()).isEqualTo(20);
            assertThat(result.latency()).isEqualTo(LatencySummary.EMPTY);
            assertThat(server.requests()).hasSize(30);
            assertThat(server.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void everyConnectionIsOpenedBeforeTheFirstRequestSoAnUnreachableTargetFailsAtOnce() throws Exception {
        int closedPort;
        try (var probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }

        assertThatThrownBy(() -> LoadGenerator.run(options("http://127.0.0.1:" + closedPort + "/", 10, 1, 0, 1)))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void resultLineHasTheDocumentedFieldsInMilliseconds() {
        LoadOptions options = options("http://127.0.0.1:18080/v1/chat/completions", 2000, 20, 5, 50);
        LoadResult result = new LoadResult(options, 1999.87, 40_000, 3,
                new LatencySummary(39_997, 412_345, 700_000, 2_500_001, 31_000_000),
                new LatencySummary(39_997, 20_000, 40_000, 99_999, 500_000), 1);

        assertThat(result.toJsonLine()).isEqualTo("{\"label\":\"test\",\"url\":\"http://127.0.0.1:18080/v1/chat/completions\","
                + "\"rate_target\":2000.0,\"rate_achieved\":1999.9,\"requests\":40000,\"errors\":3,"
                + "\"p50_ms\":0.412,\"p90_ms\":0.7,\"p99_ms\":2.5,\"max_ms\":31.0,\"send_lag_p99_ms\":0.1,"
                + "\"connections\":50,\"reconnects\":1,\"duration_s\":20.0,\"warmup_s\":5.0}");
    }
}
