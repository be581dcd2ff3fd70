package dev.triage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP forwarder for tests: clients connect to {@link #port()} on 127.0.0.1 and their bytes go to and
 * from a target. It makes outages real from the client's side without touching the target server:
 * {@link #cut()} closes the listener and resets every connection (connections are then refused),
 * {@link #restore()} listens on the same port again, and {@link #freeze()} keeps connections open but
 * moves no bytes, like a server that hangs.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean frozen;

    /** Starts forwarding from a free local port to {@code host:targetPort}. */
    public TcpProxy(String host, int targetPort) {
        this.target = new InetSocketAddress(host, targetPort);
        try {
            this.listener = listenBelowEphemeralRange();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    public int port() {
        return port;
    }

    /** Closes the listening socket and every forwarded connection, so clients see resets and refusals. */
    public synchronized void cut() {
        closeQuietly(listener);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Listens on the same port again after {@link #cut()}. */
    public synchronized void restore() {
        if (!listener.isClosed()) {
            return;
        }
        try {
            listener = listen(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
        acceptOn(listener);
    }

    /** Keeps connections open but stops moving bytes either way until {@link #thaw()}. */
    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        frozen = false;
    }

    @Override
    public void close() {
        cut();
    }

    /**
     * A port below Linux's ephemeral range (32768 and up): while the proxy is cut, a client that keeps
     * reconnecting to a port in that range can be handed the same port as its own source port and
     * connect to itself, and then the port cannot be listened on again.
     */
    private static ServerSocket listenBelowEphemeralRange() throws IOException {
        IOException last = null;
        for (int i = 0; i < 200; i++) {
            try {
                return listen(20_000 + ThreadLocalRandom.current().nextInt(12_000));
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void acceptOn(ServerSocket server) {
        Thread.ofPlatform().daemon(true).name("tcp-proxy-accept-" + port).start(() -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // closed by cut()
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            }
        });
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon(true).name("tcp-proxy-pump-" + port).start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    while (frozen && !from.isClosed()) {
                        Thread.sleep(5);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side or cut() closed the connection
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // closing for cleanup; nothing to do about a failure
        }
    }
}
