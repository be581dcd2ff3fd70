package dev.triage.http;

import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow and idle clients from holding the gateway's memory: at most
 * {@link ConnectionLimits#maxConnections()} connections, and none that takes longer than
 * {@link ConnectionLimits#headerTimeout()} over its request head.
 *
 * <p>Why: each connection Jetty holds costs heap, and a client that sends its head one line at a time
 * never trips the idle timeout. Measured on the gateway under {@code -Xmx128m} (heap histograms after
 * full GC, {@code jcmd PID GC.class_histogram}, a few hundred connections at a time): 3.6 KB per
 * connection that has sent a request line and one header, about 130 B more per further header line,
 * and 168 KB for one that sent 2,000 tiny header fields ({@code a:}) within Jetty's 8 KB head limit —
 * twenty times the bytes received. With the field limit ({@link BoundedHeadConnectionFactory}) the
 * worst head measured is 23.8 KB (98 fields of 80 bytes), {@link ConnectionLimits#WORST_CASE_BYTES_PER_CONNECTION}.
 *
 * <p>How, in three places:
 * <ul>
 *   <li><b>Accepting.</b> The acceptor hands each socket to a task that builds its connection; under a
 *       burst those tasks queue, each holding a socket and a thread. Past {@link #PENDING_LIMIT} of
 *       them the acceptor pauses (the kernel's accept queue holds the rest) and resumes at half.
 *   <li><b>Opening.</b> A new connection is always accepted — refusing would leave a health check
 *       queued behind the flood — and past seven eighths of the limit the connections that have
 *       waited longest without a request being handled are closed, down to three quarters: slow heads
 *       first, then idle keep-alive connections. A fresh connection, from which nothing has been read
 *       yet, has had no chance to show whether it is slow: it is closed only past the limit itself
 *       (oldest first). A connection whose request is being handled is never closed here (the request's
 *       own deadline bounds it).
 *   <li><b>Sweeping.</b> A few times per header timeout, connections whose head has taken longer are closed.
 * </ul>
 *
 * <p>It reads each connection's parser state from other threads. The parser's fields are written by
 * the connection's thread without synchronisation, so a read may be a moment stale: at worst a head
 * is closed one sweep late, or a connection is ranked as fresh while its head has just begun.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener, SelectorManager.AcceptListener {

    /** Accepted sockets whose connection is not built yet, at most. */
    static final int PENDING_LIMIT = 128;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AbstractConnector connector;
    private final int max;
    private final int pressure;
    private final int target;
    private final long headerTimeoutNanos;
    private final long sweepMillis;
    private final Scheduler scheduler;
    // Each open connection and its number in the order they were opened.
    private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean paused;  // written under this
    private final ReentrantLock shedding = new ReentrantLock();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong headTimeouts = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong reported = new AtomicLong();
    private volatile Scheduler.Task sweep;

    ConnectionGuard(ConnectionLimits limits, AbstractConnector connector) {
        this.connector = connector;
        this.max = limits.maxConnections();
        this.pressure = max - max / 8;
        this.target = max - max / 4;
        this.headerTimeoutNanos = limits.headerTimeout().toNanos();
        // Closes a slow head between 1x and 1.25x the timeout (and at most 1 s late).
        this.sweepMillis = Math.clamp(limits.headerTimeout().toMillis() / 4, 10, 1_000);
        this.scheduler = connector.getScheduler();
    }

    @Override
    protected void doStart() {
        sweep = scheduler.schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = sweep;
        sweep = null;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        if (pending.incrementAndGet() >= PENDING_LIMIT) {
            pauseAccepting();
        }
    }

    @Override
    public void onAccepted(SelectableChannel channel) {
        built();
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        built();
    }

    private void built() {
        if (pending.decrementAndGet() <= PENDING_LIMIT / 2 && paused) {
            resumeAccepting();
        }
    }

    // Both look at the count again under the lock, so a pause and a resume racing cannot leave the acceptor off.
    private synchronized void pauseAccepting() {
        if (!paused && pending.get() >= PENDING_LIMIT) {
            paused = true;
            connector.setAccepting(false);
            pauses.incrementAndGet();
        }
    }

    private synchronized void resumeAccepting() {
        // Not once a graceful stop has begun: it turned accepting off for good.
        if (paused && pending.get() <= PENDING_LIMIT / 2 && !connector.isShutdown()) {
            paused = false;
            connector.setAccepting(true);
        }
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, opened.incrementAndGet());
            if (count.incrementAndGet() > pressure) {
                shed(http);
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            forget(http);
        }
    }

    // Counted out at once, not when Jetty reports the close, so that the next connection does not shed again for it.
    private void close(HttpConnection c) {
        forget(c);
        c.getEndPoint().close();
    }

    private void forget(HttpConnection c) {
        if (open.remove(c) != null) {
            count.decrementAndGet();
        }
    }

    private void shed(HttpConnection newcomer) {
        // One thread makes room at a time and looks again before it stops; the others go on. Waiting for
        // the lock instead would park one thread per new connection for as long as a flood lasts.
        while (count.get() > pressure && shedding.tryLock()) {
            try {
                if (shedOnce(newcomer) == 0) {
                    return;
                }
            } finally {
                shedding.unlock();
            }
        }
    }

    /** Closes the slowest waiting connections; returns how many. */
    private int shedOnce(HttpConnection newcomer) {
        long now = System.nanoTime();
        List<Waiting> waiting = new ArrayList<>();
        open.forEach((c, number) -> {
            Waiting w = waiting(c, number, now);
            if (w != null) {
                waiting.add(w);
            }
        });
        waiting.sort(Waiting.SLOWEST_FIRST);
        int closed = 0;
        for (Waiting w : waiting) {
            boolean needed = w.stage() == Stage.FRESH ? count.get() > max : count.get() > target;
            if (!needed) {
                break;
            }
            close(w.connection());
            closed++;
        }
        if (count.get() > max && open.containsKey(newcomer)) {
            close(newcomer);  // every other connection has a request being answered
            closed++;
        }
        shed.addAndGet(closed);
        report();
        return closed;
    }

    /** What a connection without a request being handled is doing, in the order they are closed to make room. */
    private enum Stage {
        /** sending a request head: the slow client this class exists for */
        HEAD,
        /** between requests on a keep-alive connection */
        IDLE,
        /** open, but nothing read from it yet */
        FRESH
    }

    /**
     * A connection with no request being handled: its stage, how long it has been in it, and its
     * number in opening order (idle times are in milliseconds, so fresh connections tie).
     */
    private record Waiting(HttpConnection connection, Stage stage, long waitedNanos, long number) {
        static final Comparator<Waiting> SLOWEST_FIRST = Comparator.comparing(Waiting::stage)
                .thenComparing(Comparator.comparingLong(Waiting::waitedNanos).reversed())
                .thenComparingLong(Waiting::number);
    }

    private static Waiting waiting(HttpConnection c, long number, long now) {
        if (!c.getEndPoint().isOpen()) {
            return null;
        }
        HttpParser parser = c.getParser();
        if (parser.isStart()) {
            long idleMillis = c.getEndPoint() instanceof IdleTimeout t ? t.getIdleFor() : 0;
            return new Waiting(c, c.getBytesIn() == 0 ? Stage.FRESH : Stage.IDLE, TimeUnit.MILLISECONDS.toNanos(idleMillis), number);
        }
        if (parser.inHeaderState()) {
            return new Waiting(c, Stage.HEAD, now - parser.getBeginNanoTime(), number);
        }
        return null;  // its request is being handled
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (HttpConnection c : open.keySet()) {
                HttpParser parser = c.getParser();
                if (!parser.isStart() && parser.inHeaderState() && now - parser.getBeginNanoTime() > headerTimeoutNanos) {
                    close(c);
                    headTimeouts.incrementAndGet();
                }
            }
            report();
        } catch (RuntimeException e) {
            LOG.warn("connection sweep failed; trying again", e);
        } finally {
            if (isRunning() && sweep != null) {
                sweep = scheduler.schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    // One line per ten seconds at most, and only when something happened: a flood must not become a flood of log lines.
    private void report() {
        long now = System.nanoTime();
        long last = lastLog.get();
        long total = shed.get() + headTimeouts.get() + pauses.get();
        if (now - last >= LOG_EVERY_NANOS && total != reported.get() && lastLog.compareAndSet(last, now)) {
            reported.set(total);
            LOG.warn("client connections under pressure: {} open (server.max_connections = {}); closed so far: {} to make"
                            + " room, {} request heads slower than server.header_timeout_ms; accepting paused {} times (slow or"
                            + " many clients; if they are yours, raise server.max_connections and -Xmx)",
                    count.get(), max, shed.get(), headTimeouts.get(), pauses.get());
        }
    }
}
