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

/**
 * A TCP forwarder for tests: clients connect to {@link #port()} on 127.0.0.1 and their bytes go to and
 * from a target. It makes outages real from the client's side without touching the target server:
 * {@link #cut()} resets every connection and every new one (the port stays bound, so nothing else can
 * take it), {@link #restore()} forwards again, and {@link #freeze()} keeps connections open but moves no
 * bytes, like a server that hangs.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ServerSocket listener;
    private volatile boolean frozen;
    private volatile boolean down;

    /** Starts forwarding from a free local port to {@code host:targetPort}. */
    public TcpProxy(String host, int targetPort) {
        this.target = new InetSocketAddress(host, targetPort);
        try {
            this.listener = listen(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    public int port() {
        return port;
    }

    /**
     * Resets every forwarded connection, and every new one until {@link #restore()}: clients see their
     * connections reset, as when a server goes away. The port stays bound, so no other process (another
     * test JVM on the same machine) can take it meanwhile and {@link #restore()} always succeeds.
     */
    public synchronized void cut() {
        down = true;
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    /** Forwards new connections again after {@link #cut()}. */
    public synchronized void restore() {
        down = false;
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
        closeQuietly(listener);
    }

    /** Closes with a reset (SO_LINGER 0), not an orderly shutdown. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing it is what matters
        }
        closeQuietly(s);
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
                    return; // closed by close()
                }
                if (down) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                synchronized (this) {
                    if (down) {
                        reset(client);
                        closeQuietly(upstream);
                        continue;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
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
