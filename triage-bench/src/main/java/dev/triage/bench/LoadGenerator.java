package dev.triage.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop, fixed-rate HTTP/1.1 load over an exact number of keep-alive connections.
 *
 * <p>Request {@code i} is due at {@code start + i / rate}. Each connection is driven by its own
 * thread that takes the next due request from a shared counter, waits for its time, sends it and
 * reads the answer. When every connection is busy, due requests wait for the first free one, and
 * because latency is measured from the <em>intended</em> time, that wait counts: a slow server
 * cannot hide its queueing by slowing the generator down (coordinated omission).
 *
 * <p>Prints one JSON line ({@link LoadResult#toJsonLine()}) to standard output.
 */
public final class LoadGenerator {

    /** After the schedule ends, requests still unsent this much later are given up as errors. */
    private static final long GIVE_UP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final long FAILED = -1;
    private static final long UNSENT = -2;

    private final LoadOptions options;
    private final byte[] request;
    private final long warmupCount;
    private final long totalCount;
    private final long[] latency;
    private final long[] sendLag;
    private final AtomicLong next = new AtomicLong();
    private long startNanos;

    private LoadGenerator(LoadOptions options) {
        this.options = options;
        this.request = options.encodedRequest();
        this.warmupCount = Math.round(options.warmupSeconds() * options.rate());
        long measured = Math.round(options.durationSeconds() * options.rate());
        if (measured > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rate × duration is too many requests to record exactly");
        }
        this.totalCount = warmupCount + measured;
        this.latency = new long[(int) measured];
        this.sendLag = new long[(int) measured];
    }

    /** Runs the load described by {@code options} and returns what it measured. */
    public static LoadResult run(LoadOptions options) throws IOException, InterruptedException {
        return new LoadGenerator(options).run();
    }

    private LoadResult run() throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(options.url().getHost(),
                options.url().getPort() < 0 ? 80 : options.url().getPort());
        List<Http1Connection> connections = new ArrayList<>(options.connections());
        for (int c = 0; c < options.connections(); c++) {
            Http1Connection connection = new Http1Connection(address);
            connection.connect();
            connections.add(connection);
        }
        // Platform threads: 50 are cheap, and at 2,000 req/s they cost a third of the CPU virtual
        // threads did and answered ~40 µs sooner (each wake-up and socket read skips a scheduler hop).
        startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long[] lastEnd = new long[connections.size()];
        List<Thread> workers = new ArrayList<>(connections.size());
        for (int c = 0; c < connections.size(); c++) {
            int index = c;
            workers.add(Thread.ofPlatform().name("load-" + c).daemon().start(
                    () -> lastEnd[index] = drive(connections.get(index))));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        int reconnects = 0;
        for (Http1Connection connection : connections) {
            reconnects += connection.reconnects();
            connection.close();
        }
        return summarise(lastEnd, reconnects);
    }

    /** Sends due requests on one connection until the schedule is used up; returns the last end time. */
    private long drive(Http1Connection connection) {
        long lastEnd = 0;
        long giveUpAt = intendedTime(totalCount) + GIVE_UP_AFTER_NANOS;
        for (long i = next.getAndIncrement(); i < totalCount; i = next.getAndIncrement()) {
            long intended = intendedTime(i);
            long now = System.nanoTime();
            while (now < intended) {
                LockSupport.parkNanos(intended - now);
                now = System.nanoTime();
            }
            int slot = (int) (i - warmupCount);
            if (now > giveUpAt) {
                if (slot >= 0) {
                    latency[slot] = UNSENT;
                }
                continue;
            }
            long end;
            boolean ok;
            try {
                int status = connection.exchange(request);
                end = System.nanoTime();
                ok = status >= 200 && status < 300;
            } catch (IOException e) {
                end = System.nanoTime();
                ok = false;
            }
            if (slot >= 0) {
                latency[slot] = ok ? end - intended : FAILED;
                sendLag[slot] = now - intended;
                lastEnd = Math.max(lastEnd, end);
            }
        }
        return lastEnd;
    }

    private long intendedTime(long i) {
        return startNanos + (long) (i * 1e9 / options.rate());
    }

    private LoadResult summarise(long[] lastEnds, int reconnects) {
        int requests = latency.length;
        int ok = 0;
        int unsent = 0;
        for (int k = 0; k < requests; k++) {
            if (latency[k] == UNSENT) {
                unsent++;
            } else if (latency[k] >= 0) {
                latency[ok] = latency[k];
                sendLag[ok] = sendLag[k];
                ok++;
            }
        }
        long lastEnd = 0;
        for (long end : lastEnds) {
            lastEnd = Math.max(lastEnd, end);
        }
        double window = (lastEnd - intendedTime(warmupCount)) / 1e9;
        double achieved = window > 0 ? (requests - unsent) / window : 0;
        return new LoadResult(options, achieved, requests, requests - ok,
                LatencySummary.of(latency, ok), LatencySummary.of(sendLag, ok), reconnects);
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        LoadResult result = run(options);
        System.out.println(result.toJsonLine());
    }
}
