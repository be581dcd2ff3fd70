package dev.triage.provider.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends upstream calls that ran past their deadline and streams that stalled: one daemon thread looks
 * at everything watched every {@link #TICK}, and expires what is overdue. A call is watched by adding
 * it to a concurrent set and released by removing it, so a call costs no lock, no timer queue and no
 * wake-up of this thread; a deadline is honoured within one tick. (Per-call timers, OkHttp's call
 * timeout and a scheduled task per stream, took a global lock on entry and exit and woke their timer
 * thread for each call: measured with {@code BENCH_PROFILE=1 bench/overhead.sh}, about an eighth of the
 * gateway's Java CPU on the plain proxy path.) When nothing is watched, the thread sleeps until
 * something is.
 */
final class Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    /** How late an expiry may come: deadlines are seconds; a few milliseconds late is nothing. */
    static final Duration TICK = Duration.ofMillis(5);
    static final Watchdog SHARED = new Watchdog(TICK);

    /** Something with a point past which it must be ended. */
    interface Watched {
        /** Whether it is overdue at {@code nowNanos} ({@link System#nanoTime()}); called on the watchdog thread. */
        boolean overdue(long nowNanos);

        /**
         * Ends it; called at most once, on the watchdog thread. It may race with the watch being closed by a
         * call that just finished, so ending something already over must be harmless (cancelling a finished
         * call, closing a closed stream).
         */
        void expire();
    }

    /** Releases what is watched; closing twice is harmless. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private final Thread thread;
    private volatile boolean sleeping;

    private Watchdog(Duration tick) {
        this.tickNanos = tick.toNanos();
        this.thread = Thread.ofPlatform().name("triage-upstream-watchdog").daemon(true).start(this::run);
    }

    Watch watch(Watched item) {
        watched.add(item);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return () -> watched.remove(item);
    }

    /** A watch that ends the call with {@code onExpiry} once {@link System#nanoTime()} reaches {@code atNanos}. */
    Watch until(long atNanos, Runnable onExpiry) {
        return watch(new Watched() {
            @Override
            public boolean overdue(long nowNanos) {
                return nowNanos - atNanos >= 0;
            }

            @Override
            public void expire() {
                onExpiry.run();
            }
        });
    }

    private void run() {
        while (true) {
            if (watched.isEmpty()) {
                sleeping = true;
                if (watched.isEmpty()) {
                    LockSupport.park(this);
                }
                sleeping = false;
                continue;
            }
            long now = System.nanoTime();
            for (Watched item : watched) {
                if (item.overdue(now) && watched.remove(item)) {
                    expire(item);
                }
            }
            LockSupport.parkNanos(this, tickNanos);
        }
    }

    private static void expire(Watched item) {
        try {
            item.expire();
        } catch (RuntimeException e) {
            LOG.warn("Ending an overdue upstream call failed: {}", e.toString());
        }
    }
}
