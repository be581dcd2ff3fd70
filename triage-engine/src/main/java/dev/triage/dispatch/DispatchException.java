package dev.triage.dispatch;

import dev.triage.chat.Money;
import dev.triage.provider.ErrorKind;
import java.time.Duration;
import java.util.List;

/**
 * A request that got no answer: every model of the plan failed or was skipped, or the deadline passed.
 * {@code streamStarted} is true when part of a streamed answer already went to the client.
 */
public final class DispatchException extends RuntimeException {

    private final ErrorKind kind;
    private final Duration retryAfter;
    private final List<String> attempts;
    private final Money cost;
    private final boolean streamStarted;
    private final String param;

    public DispatchException(ErrorKind kind, String message, Duration retryAfter, List<String> attempts, Money cost,
                             boolean streamStarted) {
        this(kind, message, retryAfter, attempts, cost, streamStarted, null);
    }

    /** @param param the request field at fault when an adapter refused the request (OpenAI's error {@code param}), or null */
    public DispatchException(ErrorKind kind, String message, Duration retryAfter, List<String> attempts, Money cost,
                             boolean streamStarted, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.attempts = List.copyOf(attempts);
        this.cost = cost;
        this.streamStarted = streamStarted;
        this.param = param;
    }

    public ErrorKind kind() {
        return kind;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public List<String> attempts() {
        return attempts;
    }

    public Money cost() {
        return cost;
    }

    public boolean streamStarted() {
        return streamStarted;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }
}
