package dev.triage.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * An event stream written the way a live upstream writes it, one HTTP chunk per event: the opening
 * events at once, then {@code drip} every {@code interval} (or nothing, if {@code drip} is null)
 * until the client hangs up or the test ends.
 */
public final class DrippingSse implements MockResponseBody, ProviderContract.EndlessStream {

    private final List<String> opening;
    private final String drip;
    private final Duration interval;
    private final CountDownLatch hungUp = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    public DrippingSse(List<String> opening, String drip, Duration interval) {
        this.opening = opening;
        this.drip = drip;
        this.interval = interval;
    }

    public static DrippingSse stallingAfter(List<String> opening) {
        return new DrippingSse(opening, null, Duration.ofMinutes(1));
    }

    public MockResponse response() {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(this)
                .removeHeader("Content-Length")
                .setHeader("Transfer-Encoding", "chunked")
                .build();
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        try {
            for (String event : opening) {
                writeChunk(sink, event);
            }
            while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                if (drip != null) {
                    writeChunk(sink, drip);
                }
            }
            sink.writeUtf8("0\r\n").flush();
        } catch (IOException clientGone) {
            hungUp.countDown();
            throw clientGone;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeChunk(BufferedSink sink, String event) throws IOException {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n").flush();
    }

    /** Whether a write failed because the client closed the connection, within {@code timeout}. */
    @Override
    public boolean awaitHangUp(Duration timeout) throws InterruptedException {
        return hungUp.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends the body so the server can shut down. */
    @Override
    public void stop() {
        stop.countDown();
    }
}
