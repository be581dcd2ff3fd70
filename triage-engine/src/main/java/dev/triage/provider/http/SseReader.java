package dev.triage.provider.http;

import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads Server-Sent Events from an upstream body, one event at a time, and guards the read with a
 * watchdog: if no bytes arrive for {@code idleTimeout}, or the request deadline passes, the stream is
 * closed and {@link #next()} throws a {@link ProviderException} of kind {@link ErrorKind#TIMEOUT}.
 */
public final class SseReader implements Closeable {

    /** One event: its {@code event:} name (null if none) and its joined {@code data:} lines. */
    public record Event(String name, String data) {
    }

    private final InputStream raw;
    private final BufferedReader lines;
    private final long idleNanos;
    private final Deadline deadline;
    private final Watchdog.Watch watch;
    private volatile long lastProgress = System.nanoTime();
    private volatile String stalled;

    public SseReader(InputStream body, Duration idleTimeout, Deadline deadline) {
        this.raw = body;
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
        this.idleNanos = idleTimeout.toNanos();
        this.deadline = deadline;
        this.watch = Watchdog.SHARED.watch(new Watchdog.Watched() {
            @Override
            public boolean overdue(long nowNanos) {
                return deadline.expired() || nowNanos - lastProgress >= idleNanos;
            }

            @Override
            public void expire() {
                abort(deadline.expired() ? "the request deadline passed while the upstream was streaming"
                        : "the upstream stream stalled for more than " + Duration.ofNanos(idleNanos).toMillis() + " ms");
            }
        });
    }

    private void abort(String why) {
        stalled = why;
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing is the point; nothing more to do
        }
    }

    /** The next event, or null at the end of the stream. */
    public Event next() {
        String name = null;
        StringBuilder data = null;
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                lastProgress = System.nanoTime();
                if (line.isEmpty()) {
                    if (data != null) {
                        return new Event(name, data.toString());
                    }
                    name = null;
                    continue;
                }
                if (line.charAt(0) == ':') {
                    continue; // comment / keep-alive
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> name = value;
                    case "data" -> {
                        if (data == null) {
                            data = new StringBuilder(value);
                        } else {
                            data.append('\n').append(value);
                        }
                    }
                    default -> {
                        // id, retry: not needed
                    }
                }
            }
            if (stalled != null) {
                throw new ProviderException(ErrorKind.TIMEOUT, 0, stalled);
            }
            return data != null ? new Event(name, data.toString()) : null;
        } catch (IOException e) {
            if (stalled != null) {
                throw new ProviderException(ErrorKind.TIMEOUT, 0, stalled);
            }
            if (deadline.expired()) {
                // the HTTP client's own deadline ended the read a moment before the watchdog did
                throw new ProviderException(ErrorKind.TIMEOUT, 0, "the request deadline passed while the upstream was streaming");
            }
            throw new ProviderException(ErrorKind.CONNECTION, "the upstream stream broke: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        watch.close();
        try {
            raw.close();
        } catch (IOException ignored) {
            // already broken; nothing to release
        }
    }
}
