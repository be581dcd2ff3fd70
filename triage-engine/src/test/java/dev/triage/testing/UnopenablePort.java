package dev.triage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A local port where a TCP connection never opens, like an upstream behind a black hole: it listens
 * with a backlog of one and never accepts, and its accept queue is filled first, so the kernel drops
 * every further connection attempt (Linux does; {@link #available()} says whether it worked here).
 */
public final class UnopenablePort implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();
    private final boolean available;

    public UnopenablePort() {
        try {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean full = false;
        for (int i = 0; i < 16 && !full; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 300);
                fillers.add(s);
            } catch (SocketTimeoutException dropped) {
                full = true;
                closeQuietly(s);
            } catch (IOException e) {
                closeQuietly(s);
                break;
            }
        }
        available = full;
    }

    /** Whether connections to {@link #port()} really hang on this machine. */
    public boolean available() {
        return available;
    }

    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        fillers.forEach(UnopenablePort::closeQuietly);
        closeQuietly(listener);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a test resource going away
        }
    }
}
