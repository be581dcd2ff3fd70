package dev.triage.http;

/**
 * The heap that request bodies in flight may claim together ({@code server.max_body_heap_bytes}),
 * shared by every request. A request's claim is what handling its body costs in heap, not its length:
 * {@link #HEAP_PER_BODY_BYTE} bytes per body byte, claimed from {@code Content-Length} before the body
 * is read (or as a chunked body arrives), plus {@link #HEAP_PER_JSON_STRUCTURE} bytes per structural
 * character of its JSON ({@code { [ , :}), claimed once it is read and before it is parsed. The claim
 * is given back when the request ends.
 *
 * <p>Both figures are measured, not guessed: the smallest {@code -Xmx} with which the gateway (serial
 * collector, as the launcher runs it) serves one request of a given shape, less the smallest with
 * which it serves a tiny one (about 46 MB). A 9.9 MB body of plain text needs about 48 MB (4.9 bytes
 * per body byte: the body, the decoding check, Jackson's text buffers, the parsed string, the upstream
 * copy); a body of one million bytes made of 333,000 empty objects needs about 82 MB (246 bytes per
 * object, that is per two structural characters: the tree, and its copy for the upstream), one of
 * 35,700 content parts about 24 MB (five structural characters each). See README, "HTTP API".
 */
public final class BodyBudget {

    /** Heap a request claims per byte of its body. */
    public static final int HEAP_PER_BODY_BYTE = 5;
    /** Heap a request claims per structural character of its JSON, for the nodes parsing builds and copies. */
    public static final int HEAP_PER_JSON_STRUCTURE = 160;

    private final long capacity;
    private long claimed; // guarded by this

    /** @param capacity bytes of heap that claims may add up to */
    public BodyBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** What a body of {@code bytes} bytes claims before it is read. */
    public static long charge(long bytes) {
        return Math.multiplyExact(bytes, (long) HEAP_PER_BODY_BYTE);
    }

    /** What {@code structures} structural characters of JSON claim. */
    static long structureCharge(long structures) {
        return Math.multiplyExact(structures, (long) HEAP_PER_JSON_STRUCTURE);
    }

    long capacity() {
        return capacity;
    }

    /** Heap claimed by requests in flight. */
    synchronized long claimed() {
        return claimed;
    }

    /** A claim of nothing yet, for one request. */
    Claim open() {
        return new Claim();
    }

    private synchronized boolean take(long bytes) {
        if (bytes > capacity - claimed) {
            return false;
        }
        claimed += bytes;
        return true;
    }

    private synchronized void give(long bytes) {
        claimed -= bytes;
    }

    /** One request's part of the budget; used by that request's thread only. Closing it gives everything back. */
    final class Claim implements AutoCloseable {

        private long held;

        /** Claims {@code bytes} more; false, claiming nothing, when the budget has not that much left. */
        boolean grow(long bytes) {
            if (!take(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        /** Whether a claim of {@code bytes} more could ever be granted, with nothing else in flight. */
        boolean couldEverGrow(long bytes) {
            return bytes <= capacity - held;
        }

        long held() {
            return held;
        }

        @Override
        public void close() {
            give(held);
            held = 0;
        }
    }
}
