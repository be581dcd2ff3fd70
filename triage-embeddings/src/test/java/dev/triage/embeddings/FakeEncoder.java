package dev.triage.embeddings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model stand-in: a deterministic unit vector per text, counting calls, the threads they ran on and
 * how many ran at once; it can hold every call until released.
 */
final class FakeEncoder implements TextEncoder {

    static final int DIMENSIONS = 8;

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostRunning = new AtomicInteger();
    final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger closes = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final long millis;

    FakeEncoder(long millisPerCall) {
        this.millis = millisPerCall;
    }

    /** Makes calls wait until {@link #open()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    static float[] expected(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        float[] v = new float[DIMENSIONS];
        v[0] = 1;
        for (int i = 0; i < bytes.length; i++) {
            v[1 + i % (DIMENSIONS - 1)] += bytes[i];
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    @Override
    public float[] encode(String text) {
        calls.incrementAndGet();
        threads.add(Thread.currentThread());
        int now = running.incrementAndGet();
        mostRunning.accumulateAndGet(now, Math::max);
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the fake model");
            }
            if (millis > 0) {
                Thread.sleep(millis);
            }
            if (text.equals("boom")) {
                throw new IllegalStateException("model failed on purpose");
            }
            return expected(text);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
