package dev.triage.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;

/**
 * Fake upstreams that answer like a real server's kernel would: each accepted connection has Nagle's algorithm
 * off, so a response written as headers then body is not held back 40 ms waiting for the client's delayed ACK
 * (real provider front ends send without that wait; a replay of thousands of calls otherwise spends minutes idle).
 */
public final class LocalServers {

    private LocalServers() {
    }

    /** A MockWebServer (not started) whose accepted connections have TCP_NODELAY set. */
    public static MockWebServer mockWebServer() {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(NO_DELAY);
        return server;
    }

    private static final ServerSocketFactory NO_DELAY = new ServerSocketFactory() {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new NoDelayServerSocket();
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket socket = new NoDelayServerSocket();
            socket.bind(new java.net.InetSocketAddress(port));
            return socket;
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            ServerSocket socket = new NoDelayServerSocket();
            socket.bind(new java.net.InetSocketAddress(port), backlog);
            return socket;
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            ServerSocket socket = new NoDelayServerSocket();
            socket.bind(new java.net.InetSocketAddress(address, port), backlog);
            return socket;
        }
    };

    private static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket() throws IOException {
        }

        @Override
        public Socket accept() throws IOException {
            Socket socket = super.accept();
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
