package dev.triage.provider.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Plain sockets with Nagle's algorithm off. A request body larger than one write reaches the socket in
 * several writes; with Nagle on, the last one waits for the ACK of the previous, which the receiver delays
 * (40 ms on Linux): every large upstream call paid that wait. Measured on the tau-bench Gemini replay
 * ({@code GeminiExplicitCacheReplayTest}, 3,420 calls with histories up to ~30 kB to a local fake): 255 s with
 * the JVM's default, 167 s with this factory; the rest was the fake's own side (its sockets now have it off too: 14 s).
 */
final class NoDelaySockets extends SocketFactory {

    static final NoDelaySockets INSTANCE = new NoDelaySockets();

    private NoDelaySockets() {
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(new Socket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
