package dev.triage.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {

    @Test
    void everySocketItMakesHasNaglesAlgorithmOff() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try (Socket unconnected = NoDelaySockets.INSTANCE.createSocket();
                 Socket byName = NoDelaySockets.INSTANCE.createSocket(loopback.getHostAddress(), server.getLocalPort());
                 Socket byAddress = NoDelaySockets.INSTANCE.createSocket(loopback, server.getLocalPort())) {
                assertThat(unconnected.getTcpNoDelay()).isTrue();
                assertThat(byName.getTcpNoDelay()).isTrue();
                assertThat(byAddress.getTcpNoDelay()).isTrue();
            }
        }
    }

    @Test
    void theUpstreamClientUsesThem() {
        assertThat(UpstreamHttp.withDefaults().socketFactory()).isSameAs(NoDelaySockets.INSTANCE);
    }
}
