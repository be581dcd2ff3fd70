package dev.triage.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a request body into memory under the {@link BodyBudget}: a body longer than the limit gets 413
 * (on its {@code Content-Length}, before reading; or at the first byte past the limit, for chunked
 * bodies); a body the budget cannot take now gets 503 with {@code Retry-After} without being kept (or as
 * soon as a chunked body outgrows what is left); a body whose JSON would build more than the whole
 * budget gets 413 without being parsed.
 *
 * <p>A refused body is still read to its end (into a small reused buffer, so it costs no heap) before
 * the 503 goes out: most clients, the JDK's and Python's among them, write the whole body before they
 * read a response, and a server that answers and closes while they write leaves them with a broken
 * pipe instead of the 503. A client that sent {@code Expect: 100-continue} has sent no body yet: it gets
 * the 503 at once and the connection is closed.
 */
final class BodyReader {

    /** How much of a chunked body is claimed at a time. */
    private static final int STEP = 64 * 1024;
    private static final int DISCARD_BUFFER = 16 * 1024;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final BodyBudget budget;

    BodyReader(BodyBudget budget) {
        this.budget = budget;
    }

    /**
     * Reads the body, claiming its cost in {@code claim} (which the caller closes when the request ends).
     *
     * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked
     * @param limit          the largest body accepted
     * @param bodyIsComing   false when the client waits for {@code 100 Continue} before sending the body
     */
    byte[] read(InputStream in, long declaredLength, long limit, boolean bodyIsComing, BodyBudget.Claim claim) {
        if (declaredLength > limit) {
            throw ApiError.tooLarge(limit);
        }
        byte[] body;
        try {
            body = declaredLength >= 0 ? readDeclared(in, (int) declaredLength, claim) : readChunked(in, limit, claim);
        } catch (Busy busy) {
            throw bodyIsComing && discard(in, limit - busy.read) ? busy() : busy().closingConnection();
        } catch (IOException e) {
            throw ApiError.badRequest(null, "the request body could not be read to its end");
        }
        long structures = structures(body);
        long cost = BodyBudget.structureCharge(structures);
        if (!claim.couldEverGrow(cost)) {
            throw new ApiError(413, "invalid_request_error", "request_too_large", null, "the request's JSON has "
                    + structures + " structural characters ({ [ , :); parsing it would take about "
                    + mib(claim.held() + cost) + " MiB of heap, more than the gateway gives request bodies ("
                    + mib(budget.capacity()) + " MiB, server.max_body_heap_bytes)", null);
        }
        if (!claim.grow(cost)) {
            throw busy();
        }
        return body;
    }

    private byte[] readDeclared(InputStream in, int length, BodyBudget.Claim claim) throws IOException {
        if (!claim.grow(BodyBudget.charge(length))) {
            throw new Busy(0);
        }
        // Read straight into an array of the declared size: no growing buffers, no second copy.
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        return read == length ? body : Arrays.copyOf(body, read);
    }

    private byte[] readChunked(InputStream in, long limit, BodyBudget.Claim claim) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        long total = 0;
        while (true) {
            int step = (int) Math.min(STEP, limit - total);
            if (step == 0) {
                if (in.read() >= 0) {
                    throw ApiError.tooLarge(limit);
                }
                break;
            }
            if (!claim.grow(BodyBudget.charge(step))) {
                throw new Busy(total);
            }
            byte[] part = in.readNBytes(step);
            parts.add(part);
            total += part.length;
            if (part.length < step) {
                break;
            }
        }
        byte[] body = new byte[(int) total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, body, at, part.length);
            at += part.length;
        }
        return body;
    }

    /** The budget has no room: {@code read} bytes of the body were read (and are dropped). */
    private static final class Busy extends RuntimeException {
        final long read;

        Busy(long read) {
            super(null, null, false, false);
            this.read = read;
        }
    }

    /** Reads and drops the rest of a body, at most {@code max} bytes; whether its end was reached. */
    private static boolean discard(InputStream in, long max) {
        byte[] buffer = new byte[DISCARD_BUFFER];
        long left = max;
        try {
            while (true) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left + 1));
                if (n < 0) {
                    return true;
                }
                left -= n;
                if (left < 0) {
                    return false;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The characters of a JSON text that open or separate values ({ [ , :), outside strings: what its tree is built of. */
    static long structures(byte[] json) {
        long count = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[' || b == ',' || b == ':') {
                count++;
            }
        }
        return count;
    }

    /** The gateway has no room for this body now: come back in a second. */
    static ApiError busy() {
        return new ApiError(503, "server_error", ApiError.GATEWAY_BUSY, null,
                "the gateway is handling as many request bodies as its memory allows; retry after the Retry-After delay",
                RETRY_AFTER);
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
