package dev.triage.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The slow client, run as a process of its own ({@code main}) so that one test can hold more
 * sockets than a process may open: {@code N} connections that each send
 * {@code POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n} and then one more header line every
 * tick, never the blank line that ends the head. A connection the gateway closes is opened again at
 * its next turn, so the flood keeps trying to hold all {@code N} for its whole duration.
 *
 * <p>Prints one line per tick ({@code tick=K held=H opened=B closedByServer=C failedConnects=D}: H of
 * its connections were still open when their turn came) and a last line starting with {@code done}.
 * Every loop is bounded: {@code seconds / tick} ticks of at most {@code N} connects each.
 */
final class SlowlorisClient {

    static final String HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n";

    private SlowlorisClient() {
    }

    /** Arguments: port, connections, seconds, tick in milliseconds. */
    public static void main(String[] args) throws IOException, InterruptedException {
        InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        int n = Integer.parseInt(args[1]);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        SocketChannel[] slots = new SocketChannel[n];
        long opened = 0;
        long closedByServer = 0;
        long failedConnects = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try (Selector selector = Selector.open()) {
            // Each tick spreads its work over the tick, each slot at its own offset, as N clients each on its
            // own timer would: the flood opens its connections at N per tick, not in one burst (a burst of
            // connects faster than the gateway accepts them is a network-level flood; see the README).
            long tickStart = System.nanoTime();
            int tick = 0;
            int next = 0;
            int held = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                int due = (int) Math.min(n, (now - tickStart) * n / tickNanos + 1);
                byte[] line = ("X-Slow-" + tick + ": a\r\n").getBytes(StandardCharsets.US_ASCII);
                for (; next < due && System.nanoTime() < end; next++) {
                    int i = next;
                    if (slots[i] != null) {
                        try {
                            slots[i].write(ByteBuffer.wrap(line));
                            held++;
                            continue;
                        } catch (IOException closed) {
                            slots[i].close();
                            slots[i] = null;
                            closedByServer++;
                        }
                    }
                    try {
                        SocketChannel c = SocketChannel.open();
                        c.setOption(StandardSocketOptions.SO_LINGER, 0);
                        c.socket().connect(gateway, 2_000);
                        c.configureBlocking(false);
                        c.write(ByteBuffer.wrap(HEAD.getBytes(StandardCharsets.US_ASCII)));
                        c.register(selector, SelectionKey.OP_READ, i);
                        slots[i] = c;
                        opened++;
                    } catch (IOException e) {
                        failedConnects++;
                    }
                }
                if (next == n && now - tickStart >= tickNanos) {
                    System.out.printf("tick=%d held=%d opened=%d closedByServer=%d failedConnects=%d%n",
                            tick, held, opened, closedByServer, failedConnects);
                    tick++;
                    tickStart += tickNanos;
                    next = 0;
                    held = 0;
                }
                // Between ticks: notice the connections the gateway closes (it may answer 408/431 first).
                selector.select(10);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    int read;
                    try {
                        sink.clear();
                        read = c.read(sink);
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read < 0) {
                        key.cancel();
                        c.close();
                        slots[(Integer) key.attachment()] = null;
                        closedByServer++;
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        for (SocketChannel c : slots) {
            if (c != null) {
                c.close();
            }
        }
        System.out.printf("done opened=%d closedByServer=%d failedConnects=%d%n", opened, closedByServer, failedConnects);
    }
}
